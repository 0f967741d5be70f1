"""In-sandbox sources of the real_estate_search category, read as text by the kit."""
