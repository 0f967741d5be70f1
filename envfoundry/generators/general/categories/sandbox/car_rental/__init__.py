"""In-sandbox sources of the car_rental category, read as text by the kit."""
