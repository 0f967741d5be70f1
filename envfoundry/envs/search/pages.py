"""Render knowledge-graph entities into linked pages: a short summary and one line per fact.

Each fact is stated on one line as ``Label: value``; :func:`fact_line` produces that line,
so the generator can record the exact evidence and the verifier can check that the page
states it.
"""

from __future__ import annotations

from typing import Any

from envfoundry.envs.search.graph import Entity, Graph
from envfoundry.envs.search.source import Page

# (entity type, key) → label; a key names an attribute or a functional relation.
LABELS: dict[str, dict[str, str]] = {
    "city": {
        "country": "Country",
        "subdivision": "Subdivision",
        "population": "Population",
        "latitude": "Latitude",
        "longitude": "Longitude",
        "timezone": "Time zone",
        "geonameid": "GeoNames ID",
    },
    "airport": {
        "city": "Serves city",
        "country": "Country",
        "subdivision": "Subdivision",
        "iata": "IATA code",
        "icao": "ICAO code",
        "elevation_ft": "Elevation",
        "latitude": "Latitude",
        "longitude": "Longitude",
        "timezone": "Time zone",
        "city_name": "City served (as listed)",
    },
    "subdivision": {
        "country": "Country",
        "parent": "Part of",
        "code": "ISO 3166-2 code",
        "kind": "Type",
        "largest_city": "Most populous listed city",
        "city_count": "Listed cities",
    },
    "country": {
        "continent": "Continent",
        "capital": "Capital",
        "currency": "Currency",
        "main_language": "Most spoken language",
        "largest_city": "Most populous city",
        "alpha2": "ISO 3166-1 alpha-2 code",
        "alpha3": "ISO 3166-1 alpha-3 code",
        "numeric": "ISO 3166-1 numeric code",
        "population": "Population",
        "area_km2": "Area",
        "tld": "Internet domain",
        "calling_code": "Calling code",
        "city_count": "Listed cities",
        "subdivision_count": "ISO 3166-2 subdivisions",
    },
    "language": {
        "code": "Language code",
        "iso639_3": "ISO 639-3 code",
        "speakers": "Speakers",
    },
    "currency": {
        "code": "ISO 4217 code",
        "numeric": "ISO 4217 numeric code",
        "country_count": "Countries using it",
    },
    "continent": {
        "code": "Continent code",
        "population": "Population",
        "country_count": "Countries",
    },
}
# Multi-valued relations listed at the end of a page (their targets are linked).
LIST_LABELS: dict[str, str] = {
    "neighbours": "Neighbouring countries",
    "languages": "Languages spoken",
    "countries": "Countries",
    "cities": "Listed cities (most populous first)",
    "subdivisions": "Subdivisions",
    "airports": "Airports",
}
UNITS = {"elevation_ft": "ft", "area_km2": "km²"}


def format_number(value: float | int) -> str:
    """``15853 → "15,853"``; floats keep two decimals."""
    if isinstance(value, bool):
        raise TypeError("not a number")
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}"


def fact_value(graph: Graph, entity: Entity, key: str) -> str | None:
    """The value of ``key`` as its page states it (``None`` when the entity lacks it)."""
    if key in entity.rels:
        target = graph.get(entity.rels[key])
        return None if target is None else target.name
    value: Any = entity.attrs.get(key)
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = format_number(value)
        unit = UNITS.get(key)
        return f"{text} {unit}" if unit else text
    return str(value)


def fact_line(graph: Graph, entity: Entity, key: str) -> str | None:
    """The line ``Label: value`` that states ``key`` on the entity's page."""
    label = LABELS.get(entity.type, {}).get(key)
    value = fact_value(graph, entity, key)
    if label is None or value is None:
        return None
    return f"{label}: {value}"


def _summary(graph: Graph, e: Entity) -> str:
    def name(rel: str) -> str | None:
        t = graph.follow(e, rel)
        return t.name if t else None

    a = e.attrs
    if e.type == "city":
        where = ", ".join(x for x in (name("subdivision"), name("country")) if x)
        return f"{e.name} is a city in {where} with a population of {a['population']:,}."
    if e.type == "airport":
        served = name("city") or a.get("city_name") or "its area"
        return f"{e.name} ({a['iata']}) is an airport serving {served}, {name('country')}."
    if e.type == "subdivision":
        return f"{e.name} is a {a['kind'].lower()} of {name('country')} ({a['code']})."
    if e.type == "country":
        cont = name("continent")
        return f"{e.name} is a country in {cont}." if cont else f"{e.name} is a country."
    if e.type == "language":
        return f"{e.name} is a language ({a['code']})."
    if e.type == "currency":
        return f"The {e.name} is a currency ({a['code']})."
    return f"{e.name} is a continent."


def _summary_zh(graph: Graph, e: Entity) -> str | None:
    if not e.name_zh:
        return None
    t = graph.follow(e, "country")
    kind = {
        "city": "城市",
        "country": "国家",
        "language": "语言",
        "currency": "货币",
        "continent": "大洲",
    }.get(e.type, "")
    if e.type == "city" and t is not None:
        return f"中文名称：{e.name_zh}。{e.name_zh}是{t.display('zh')}的城市。"
    if e.type == "country":
        parts = [f"中文名称：{e.name_zh}。{e.name_zh}是一个国家"]
        for rel, word in (("continent", "位于"), ("currency", "货币为")):
            target = graph.follow(e, rel)
            if target is not None:
                parts.append(f"{word}{target.display('zh')}")
        return "，".join(parts) + "。"
    return f"中文名称：{e.name_zh}。类别：{kind}。"


def render_page(graph: Graph, e: Entity) -> Page:
    """The entity's page: title, summary (English, Chinese when named), facts, lists."""
    lines = [e.name, _summary(graph, e)]
    zh = _summary_zh(graph, e)
    if zh:
        lines.append(zh)
    if e.aliases:
        lines.append("Also known as: " + "; ".join(e.aliases))
    links: list[str] = []
    for key in LABELS.get(e.type, {}):
        line = fact_line(graph, e, key)
        if line is not None:
            lines.append(line)
            if key in e.rels and e.rels[key] not in links:
                links.append(e.rels[key])
    speakers = e.attrs.get("language_speakers", {})
    for rel, label in LIST_LABELS.items():
        ids = [i for i in e.multi.get(rel, ()) if i in graph]
        if not ids:
            continue
        items = []
        for i in ids:
            t = graph[i]
            items.append(f"{t.name} ({speakers[i]:,} speakers)" if i in speakers else t.name)
            if i not in links:
                links.append(i)
        lines.append(f"{label}: " + "; ".join(items))
    return Page(id=e.id, title=e.name, text="\n".join(lines), links=tuple(links))


def render_all(graph: Graph) -> list[Page]:
    return [render_page(graph, e) for e in graph.iter_entities()]
