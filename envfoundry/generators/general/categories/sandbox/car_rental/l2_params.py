"""Level 2: reserve the cheapest free automatic SUV at any branch of a city (level 1's
city-wide search, then a reservation)."""

NAME: str = "Ann Example"
CITY: str = "Springfield"
START: str = "2025-05-06"
END: str = "2025-05-10"
