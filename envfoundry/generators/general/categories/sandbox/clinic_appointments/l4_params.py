"""Level 4 (toolset v2): the earliest slot of a specialty with a doctor taking the insurance."""

PATIENT: str = "Ann Example"
SPEC: str = "Cardiology"
BEFORE: list[int] = []
