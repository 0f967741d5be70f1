from ..helpers import _malformed, _unexpected_change
from .l5_params import NAME, NEW_END, OLD_END, OLD_ID
from .verify_lib import _cheapest_free, _free, _new_reservation, _sound


def _extended(db, answer, old, changes):
    if answer["reservation_id"] != OLD_ID:
        return False, "the car was free: the same reservation must be extended"
    problem = _unexpected_change(
        changes, ("update", "reservations", {"id": OLD_ID}, ["end_date", "total_price"])
    )
    if problem:
        return False, problem
    if old["status"] != "active" or old["end_date"] != NEW_END:
        return False, f"the reservation must stay active and end on {NEW_END}"
    broken = _sound(db, old)
    return (False, broken) if broken else (True, "reservation extended")


def verify(answer, db, before, changes):
    problem = _malformed(answer, reservation_id="int")
    if problem:
        return False, problem
    old = db.execute(
        "SELECT r.*, c.branch_id, c.car_class, c.daily_rate, u.age FROM reservations r"
        " JOIN cars c ON c.id = r.car_id JOIN customers u ON u.id = r.customer_id"
        " WHERE r.id = ?",
        (OLD_ID,),
    ).fetchone()
    # whether the car was free for the extension is a fact of the state before the episode
    if _free(before, old["car_id"], OLD_END, NEW_END, (OLD_ID,)):
        return _extended(db, answer, old, changes)
    if old["status"] != "cancelled":
        return False, "the car was taken: the old reservation must be cancelled"
    r, problem = _new_reservation(
        db,
        answer,
        NAME,
        old["branch_id"],
        old["start_date"],
        NEW_END,
        changes,
        ("update", "reservations", {"id": OLD_ID}, ["status"]),
    )
    if r is None:
        return False, problem
    if r["car_class"] != old["car_class"]:
        return False, "the new car must be of the same class at the same branch"
    where = "c.branch_id = ? AND c.car_class = ?"
    args = (old["branch_id"], old["car_class"])
    if not _cheapest_free(before, r, where, args, r["start_date"], NEW_END, (OLD_ID,)):
        return False, "a cheaper car of the same class was free"
    return True, "rebooked the cheapest car of the same class"
