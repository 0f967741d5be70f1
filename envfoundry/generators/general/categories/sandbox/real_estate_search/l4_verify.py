from ..helpers import _malformed
from .l4_params import BUDGET, CLIENTS, RADIUS
from .verify_lib import _fits, _held_by, _near


def _held(db, name, lid):
    """The listing ``lid`` when the client holds exactly it and it fits the brief, or None."""
    cl = _held_by(db, {"listing_id": lid}, name)
    lst = db.execute("SELECT * FROM listings WHERE id = ?", (lid,)).fetchone()
    if cl is None or lst is None or lst["status"] != "held":
        return None
    return lst if _fits(cl, lst) and _near(db, lst, "metro", RADIUS) else None


def verify(answer, db):
    problem = _malformed(answer, listing_ids="list")
    if problem or len(answer["listing_ids"]) != 3:
        return False, problem or "three listing ids are expected"
    chosen = []
    for name, lid in zip(CLIENTS, answer["listing_ids"], strict=True):
        lst = _held(db, name, lid)
        if lst is None:
            return (
                False,
                f"{name} must hold exactly listing {lid}, within the brief and near a metro",
            )
        chosen.append(lst)
    if len({c["neighborhood"] for c in chosen}) != 3:
        return False, "the three listings must be in three different neighborhoods"
    total = sum(c["monthly_rent"] for c in chosen)
    if total > BUDGET:
        return False, f"total rent {total} exceeds the budget"
    return True, f"three listings held for {total} a month"
