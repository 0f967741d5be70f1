import itertools

from .l5_params import CITY, DATES, NAME, QTY
from .solve_lib import _buy, _cheapest


def _distinct(combo):
    return all(len({e[key] for e, _ in combo}) == 3 for key in ("date", "venue_id", "category"))


def _weekend(tools, distinct):
    cid = tools.find_customer(name=NAME)["id"]
    options = []
    for e in tools.search_events(city=CITY, date_from=DATES[0], date_to=DATES[1]):
        s = _cheapest(tools, e["id"], QTY)
        if s:
            options.append((e, s))
    combos = [c for c in itertools.combinations(options, 3) if _distinct(c) or not distinct]
    best = min(combos, key=lambda combo: sum(s["price"] for _, s in combo) * QTY)
    return {"order_ids": [_buy(tools, cid, e["id"], s["name"], QTY) for e, s in best]}
