"""Level 2: book the earliest slot of a specialty with a doctor who takes the insurance."""

PATIENT: str = "Ann Example"
SPEC: str = "Cardiology"
BEFORE: list[int] = []
