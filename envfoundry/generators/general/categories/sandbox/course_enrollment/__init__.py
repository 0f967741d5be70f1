"""In-sandbox sources of the course_enrollment category, read as text by the kit."""
