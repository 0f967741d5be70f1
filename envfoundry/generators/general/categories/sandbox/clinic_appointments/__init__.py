"""In-sandbox sources of the clinic_appointments category, read as text by the kit."""
