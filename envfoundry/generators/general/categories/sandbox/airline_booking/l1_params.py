"""Level 1: the cheapest bookable economy flight of a route on a day."""

ORIGIN: str = "Springfield"
DEST: str = "Shelbyville"
DATE: str = "2025-05-03"
