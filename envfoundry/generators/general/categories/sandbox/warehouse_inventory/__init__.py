"""In-sandbox sources of the warehouse_inventory category, read as text by the kit."""
