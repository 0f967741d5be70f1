from .l2_params import CATEGORY, CITY, D1, NAME, QTY
from .solve_lib import _buy, _cheapest


def _buy_earliest(tools, cap):
    cid = tools.find_customer(name=NAME)["id"]
    for e in tools.search_events(city=CITY, category=CATEGORY, date_from=D1):
        s = _cheapest(tools, e["id"], QTY, cap)
        if s:
            return {"order_id": _buy(tools, cid, e["id"], s["name"], QTY)}
    return None
