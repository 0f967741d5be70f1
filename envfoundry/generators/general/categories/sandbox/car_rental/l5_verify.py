from ..helpers import _ids, _unexpected_change
from .l5_params import NAME, NEW_ENDS, OLD_ENDS, OLD_IDS
from .verify_lib import _cheapest_free, _cid, _free, _new, _sound

_OLD = (
    "SELECT r.*, c.branch_id, c.car_class, c.daily_rate, u.age FROM reservations r"
    " JOIN cars c ON c.id = r.car_id JOIN customers u ON u.id = r.customer_id WHERE r.id = ?"
)


def _extended(db, rid, old_id, new_end):
    if rid != old_id:
        return f"the car of reservation {old_id} was free: it must be extended in place"
    old = db.execute(_OLD, (old_id,)).fetchone()
    if old["status"] != "active" or old["end_date"] != new_end:
        return f"reservation {old_id} must stay active and end on {new_end}"
    return _sound(db, old) or ""


def _rebooked(db, before, new, rid, old_id, new_end):
    old = db.execute(_OLD, (old_id,)).fetchone()
    if old["status"] != "cancelled":
        return f"the car of reservation {old_id} was taken: it must be cancelled"
    r = new.get(rid)
    if r is None:
        return f"the rental of reservation {old_id} is not covered by a new reservation"
    if (r["branch_id"], r["start_date"], r["end_date"]) != (
        old["branch_id"],
        old["start_date"],
        new_end,
    ):
        return f"the new reservation for {old_id}: wrong branch or dates"
    if r["car_class"] != old["car_class"]:
        return f"the new car for {old_id} must be of the same class at the same branch"
    where = "c.branch_id = ? AND c.car_class = ?"
    args = (old["branch_id"], old["car_class"])
    if not _cheapest_free(before, r, where, args, r["start_date"], new_end, tuple(OLD_IDS)):
        return f"a cheaper car of the same class was free for {old_id}"
    return _sound(db, r) or ""


def verify(answer, db, before, changes):
    ids = _ids(answer, "reservation_ids", len(OLD_IDS))
    if ids is None:
        return False, f"reservation_ids must list {len(OLD_IDS)} ids, one per rental in order"
    mine = ("insert", "reservations", {"customer_id": _cid(db, NAME), "status": "active"})
    moves = [("update", "reservations", {"id": set(OLD_IDS)}, ["end_date", "total_price"])]
    moves.append(("update", "reservations", {"id": set(OLD_IDS)}, ["status"]))
    problem = _unexpected_change(changes, mine, *moves)
    if problem:
        return False, problem
    new = {r["id"]: r for r in _new(db, NAME)}
    wanted = [i for i, old in zip(ids, OLD_IDS, strict=True) if i != old]
    if sorted(new) != sorted(wanted):
        return False, "the new reservations must be exactly the rebooked rentals"
    for rid, old_id, old_end, new_end in zip(ids, OLD_IDS, OLD_ENDS, NEW_ENDS, strict=True):
        # whether the car was free for the extension is a fact of the state before the episode
        if _free(
            before, db.execute(_OLD, (old_id,)).fetchone()["car_id"], old_end, new_end, (old_id,)
        ):
            problem = _extended(db, rid, old_id, new_end)
        else:
            problem = _rebooked(db, before, new, rid, old_id, new_end)
        if problem:
            return False, problem
    return True, "every rental extended or rebooked"
