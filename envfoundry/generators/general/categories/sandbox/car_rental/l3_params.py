"""Level 3: reserve at any branch of a city by fuel preference (electric, else hybrid, else
any), then price, leaving out the models the customer rented before."""

NAME: str = "Ann Example"
CITY: str = "Springfield"
START: str = "2025-05-08"
END: str = "2025-05-11"
SEATS: int = 5
FUELS: list[str | None] = ["electric", "hybrid", None]
