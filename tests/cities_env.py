"""A tiny general-family environment shared by tests: three cities, a read and a write tool."""

from __future__ import annotations

import sqlite3

from envfoundry.models import ToolSpec

TOOLS = """
def list_cities(db):
    return [dict(r) for r in db.execute("select name, population from cities order by name")]

def book_city(db, name):
    if db.execute("select 1 from cities where name = ?", (name,)).fetchone() is None:
        raise ValueError(f"unknown city {name!r}")
    db.execute("insert into bookings(city) values (?)", (name,))
    db.commit()
    return {"booked": name}
"""

SOLVE = """
def solve(tools):
    cities = tools.list_cities()
    best = max(cities, key=lambda c: c["population"])
    return {"city": best["name"]}
"""
PERTURBED = """
def solve(tools):
    cities = tools.list_cities()
    return {"city": min(cities, key=lambda c: c["population"])["name"]}
"""
VERIFY = """
def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("city"), str):
        return False, "answer must be an object with a city"
    top = db.execute("select name from cities order by population desc limit 1").fetchone()[0]
    return (answer["city"] == top, "most populous" if answer["city"] == top else "not the most populous")
"""
BOOK_SOLVE = """
def solve(tools):
    best = max(tools.list_cities(), key=lambda c: c["population"])
    tools.book_city(name=best["name"])
    return {"city": best["name"]}
"""
BOOK_VERIFY = """
def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("city"), str):
        return False, "bad answer"
    top = db.execute("select name from cities order by population desc limit 1").fetchone()[0]
    rows = [r[0] for r in db.execute("select city from bookings")]
    if rows != [top] or answer["city"] != top:
        return False, f"expected exactly one booking of {top}, got {rows}"
    return True, "booked"
"""
SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
    "additionalProperties": False,
}


def make_db() -> bytes:
    conn = sqlite3.connect(":memory:")
    conn.execute("create table cities(name text primary key, population int)")
    conn.execute("create table bookings(id integer primary key, city text)")
    conn.executemany(
        "insert into cities values (?, ?)",
        [("Hangzhou", 12_000_000), ("Suzhou", 10_700_000), ("Ningbo", 9_600_000)],
    )
    conn.commit()
    return bytes(conn.serialize())


TOOL_SPECS = (
    ToolSpec(name="list_cities", description="All cities with population."),
    ToolSpec(
        name="book_city",
        description="Book a trip to a city.",
        parameters={
            "type": "object",
            "properties": {"name": {"type": "string"}},
            "required": ["name"],
            "additionalProperties": False,
        },
        mutates=True,
    ),
)
