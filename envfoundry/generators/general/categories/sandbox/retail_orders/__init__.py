"""In-sandbox sources of the retail_orders category, read as text by the kit."""
