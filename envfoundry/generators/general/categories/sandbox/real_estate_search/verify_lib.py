"""Verifier helpers: amenities near a listing, client briefs, holds, listings free before."""

from ..helpers import _malformed
from .geo import _km


def _near(db, lst, kind, radius):
    rows = db.execute("SELECT * FROM amenities WHERE city = ? AND kind = ?", (lst["city"], kind))
    return any(_km(lst["lat"], lst["lon"], a["lat"], a["lon"]) <= radius for a in rows)


def _client(db, name):
    return db.execute("SELECT * FROM clients WHERE name = ?", (name,)).fetchone()


def _holds(db, cid):
    return db.execute(
        "SELECT * FROM holds WHERE client_id = ? AND status = 'active' ORDER BY id", (cid,)
    ).fetchall()


def _fits(cl, lst):
    return (
        lst["city"] == cl["city"]
        and lst["monthly_rent"] <= cl["budget"]
        and lst["bedrooms"] >= cl["min_bedrooms"]
        and (lst["pets_allowed"] or not cl["needs_pets"])
    )


def _pool(db, held):
    # listings available before the task: still available, or held by the task's own holds
    rows = db.execute("SELECT * FROM listings ORDER BY id")
    return [r for r in rows if r["status"] == "available" or r["id"] in held]


def _held_by(db, answer, name):
    """The client when they hold exactly the answered listing; else None and why."""
    problem = _malformed(answer, listing_id="int")
    if problem:
        return None, problem
    cl = _client(db, name)
    holds = _holds(db, cl["id"])
    if len(holds) != 1 or holds[0]["listing_id"] != answer["listing_id"]:
        return None, "the client must hold exactly the answered listing"
    return cl, ""
