"""Verifier helpers: amenities near a listing, client briefs, listings free before the
episode, and the episode's changes (exactly the task's holds)."""

from ..helpers import _malformed, _unexpected_change
from .geo import _km


def _near(db, lst, kind, radius):
    rows = db.execute("SELECT * FROM amenities WHERE city = ? AND kind = ?", (lst["city"], kind))
    return any(_km(lst["lat"], lst["lon"], a["lat"], a["lon"]) <= radius for a in rows)


def _client(db, name):
    return db.execute("SELECT * FROM clients WHERE name = ?", (name,)).fetchone()


def _suits(cl, lst):
    return (
        lst["city"] == cl["city"]
        and lst["monthly_rent"] <= cl["budget"]
        and lst["bedrooms"] >= cl["min_bedrooms"]
        and (lst["pets_allowed"] or not cl["needs_pets"])
    )


def _pool(before):
    """The listings that were available before the episode."""
    return before.execute(
        "SELECT * FROM listings WHERE status = 'available' ORDER BY id"
    ).fetchall()


def _only_holds(changes, holds):
    """Why the changes are not exactly the ``holds`` ((listing id, client id) pairs: a new
    active hold and the listing's status from available to held), or ``""``."""
    allowed: list[tuple] = []
    for lid, cid in holds:
        allowed.append(
            ("insert", "holds", {"listing_id": lid, "client_id": cid, "status": "active"})
        )
        allowed.append(("update", "listings", {"id": lid}, ("status",)))
    problem = _unexpected_change(changes, *allowed)
    if problem:
        return problem
    for lid, cid in holds:
        made = [c for c in changes if c["op"] == "insert" and c["row"]["listing_id"] == lid]
        moved = [c for c in changes if c["op"] == "update" and c["key"]["id"] == lid]
        if len(made) != 1 or made[0]["row"]["client_id"] != cid:
            return f"listing {lid} must be held once, for client {cid}"
        if len(moved) != 1 or moved[0]["set"].get("status") != ["available", "held"]:
            return f"listing {lid} must go from available to held"
    return ""


def _held_one(before, changes, answer, name):
    """The client when the episode placed exactly one hold, for them on the answered
    listing; else None and why."""
    problem = _malformed(answer, listing_id="int")
    if problem:
        return None, problem
    cl = _client(before, name)
    problem = _only_holds(changes, [(answer["listing_id"], cl["id"])])
    return (None, problem) if problem else (cl, "")
