from ..helpers import _malformed
from .l4_params import BUDGET, LEGS, NAME, SEATS
from .verify_lib import _new, _sound


def verify(answer, db):
    problem = _malformed(answer, reservation_ids="ints")
    if problem or len(answer["reservation_ids"]) != 2:
        return False, problem or "the answer must list two reservation ids"
    new = {r["id"]: r for r in _new(db, NAME)}
    if sorted(new) != sorted(answer["reservation_ids"]):
        return False, "the answered ids must be exactly the customer's new reservations"
    rows = [new[i] for i in answer["reservation_ids"]]
    for r, (city, start, end) in zip(rows, LEGS, strict=True):
        if (r["city"], r["start_date"], r["end_date"]) != (city, start, end):
            return False, f"the reservations must be in {city} from {start} to {end}, in order"
        if r["seats"] < SEATS:
            return False, f"every car must seat {SEATS}"
        broken = _sound(db, r)
        if broken:
            return False, broken
    if rows[0]["car_class"] != rows[1]["car_class"]:
        return False, "both cars must be of the same class"
    total = rows[0]["total_price"] + rows[1]["total_price"]
    if total > BUDGET:
        return False, f"the two rentals cost {total}, over {BUDGET}"
    return True, "two-city trip within budget"
