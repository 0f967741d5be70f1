"""Level 1: the doctors of a specialty in a city who take an insurer."""

SPEC: str = "Cardiology"
CITY: str = "Springfield"
INSURER: str = "Acme Health"
