"""In-sandbox sources of the library_loans category, read as text by the kit."""
