"""Level 2: book the earliest afternoon slot in the patient's city under a fee limit, not
clashing with their other appointments."""

PATIENT: str = "Ann Example"
SPEC: str = "Cardiology"
MAX_FEE: float = 150.0
AFTER: str = "13:00"
BEFORE: list[int] = []
