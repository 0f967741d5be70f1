from .l2_params import CATEGORY, CITY, DATES
from .solve_lib import _cheapest


def _cheapest_section(tools, qty):
    first, last = DATES
    options = []
    for e in tools.search_events(city=CITY, category=CATEGORY, date_from=first, date_to=last):
        s = _cheapest(tools, e["id"], qty)
        if s:
            options.append((s["price"], e["id"], s["name"]))
    _, event_id, section = min(options)
    return {"event_id": event_id, "section": section}
