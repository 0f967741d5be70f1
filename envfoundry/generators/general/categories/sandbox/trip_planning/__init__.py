"""In-sandbox sources of the trip_planning category, read as text by the kit."""
