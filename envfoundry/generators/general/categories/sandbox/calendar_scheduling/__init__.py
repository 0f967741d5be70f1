"""In-sandbox sources of the calendar_scheduling category, read as text by the kit."""
