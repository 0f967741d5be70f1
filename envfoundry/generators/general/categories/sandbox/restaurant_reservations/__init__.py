"""In-sandbox sources of the restaurant_reservations category, read as text by the kit."""
