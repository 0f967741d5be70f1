import itertools

from .l5_core import _first_table, _vegan
from .l5_params import DATES, PARTY, SIZE
from .solve_lib import _reserve


def _nights(tools, rests):
    """Per date, every (restaurant, time, table) with a free table."""
    out = []
    for date in DATES:
        found = [(rest, _first_table(tools, rest, date, SIZE)) for rest in rests]
        out.append([(rest, *hit) for rest, hit in found if hit])
    return out


def solve(tools):
    combos = [
        combo
        for combo in itertools.product(*_nights(tools, _vegan(tools)))
        if len({c[0]["cuisine"] for c in combo}) == len(combo)
    ]
    best = min(combos, key=lambda combo: sum(c[0]["price_per_person"] for c in combo) * SIZE)
    ids = [
        _reserve(tools, rest, table, date, time, SIZE, PARTY)
        for date, (rest, time, table) in zip(DATES, best, strict=True)
    ]
    return {"reservation_ids": ids}
