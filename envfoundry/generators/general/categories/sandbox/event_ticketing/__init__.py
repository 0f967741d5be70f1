"""In-sandbox sources of the event_ticketing category, read as text by the kit."""
