"""Level 5 (toolset v2): three family members at one clinic on one day, cheapest in total."""

PATIENTS: list[str] = ["Ann Example", "Bo Example", "Cy Example"]
SPEC: str = "Pediatrics"
CITY: str = "Springfield"
BUDGET: float = 400.0
