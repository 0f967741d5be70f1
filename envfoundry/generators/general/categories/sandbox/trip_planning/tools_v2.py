# Toolset v2 adds the weather forecast.
from ..helpers import _text_arg
from .tools_v1 import _city


def get_weather_by_city_date(db, city, date):
    """The weather forecast of a city on a date (YYYY-MM-DD) inside the forecast window."""
    city = _city(db, city)
    _text_arg(date, "date")
    row = db.execute(
        "SELECT city, date, condition, temp_high_c FROM weather WHERE city = ? AND date = ?",
        (city, date),
    ).fetchone()
    if row is None:
        span = db.execute("SELECT MIN(date) AS lo, MAX(date) AS hi FROM weather").fetchone()
        raise ValueError(f"no forecast for {date!r}; forecasts cover {span['lo']} to {span['hi']}")
    return dict(row)
