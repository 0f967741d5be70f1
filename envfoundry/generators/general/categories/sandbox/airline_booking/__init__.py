"""In-sandbox sources of the airline_booking category, read as text by the kit."""
