from ..helpers import _count_changes, _unexpected_change
from .l3_params import CITY, DATES, MIN_RATING, PARTY, SIZE, TIME
from .verify_lib import _nights


def verify(answer, db, before, changes):
    # the only writes: the party's dinners (no booking under another name, no edits)
    mine = (
        "insert",
        "reservations",
        {"party_name": PARTY, "party_size": SIZE, "date": set(DATES), "time": TIME},
    )
    problem = _unexpected_change(changes, mine)
    if problem:
        return False, problem
    if _count_changes(changes, "insert", "reservations") != len(DATES):
        return False, f"exactly {len(DATES)} new reservations for the party are expected"
    problem = _nights(db, before, answer, PARTY, CITY, MIN_RATING, DATES, TIME, SIZE)
    return (False, problem) if problem else (True, "the best free restaurant each evening")
