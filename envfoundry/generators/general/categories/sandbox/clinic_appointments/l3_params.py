"""Level 3 (toolset v2): move an appointment to another doctor of the same specialty."""

PATIENT: str = "Ann Example"
OLD_ID: int = 1
