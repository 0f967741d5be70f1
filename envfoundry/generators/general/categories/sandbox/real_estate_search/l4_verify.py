from ..helpers import _each, _within
from .l4_params import BUDGET, CLIENTS, RADIUS
from .verify_lib import _fits, _held_by, _near


def _held(db, name, lid):
    """The listing ``lid`` when the client holds exactly it and it fits the brief."""
    cl, _ = _held_by(db, {"listing_id": lid}, name)
    lst = db.execute("SELECT * FROM listings WHERE id = ?", (lid,)).fetchone()
    ok = cl is not None and lst is not None and lst["status"] == "held"
    if ok and _fits(cl, lst) and _near(db, lst, "metro", RADIUS):
        return lst, ""
    return None, f"must hold exactly listing {lid}, within the brief and near a metro"


def verify(answer, db):
    chosen, problem = _each(answer, "listing_ids", CLIENTS, lambda n, i: _held(db, n, i))
    if chosen is None:
        return False, problem
    if len({c["neighborhood"] for c in chosen}) != 3:
        return False, "the three listings must be in three different neighborhoods"
    return _within(sum(c["monthly_rent"] for c in chosen), BUDGET, "three listings held")
