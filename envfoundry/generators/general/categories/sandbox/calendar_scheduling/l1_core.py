from .clock import _s
from .l1_params import DAY, NAMES
from .solve_lib import _busy, _people, _slots


def _first_slot(tools, hours_of):
    """The earliest slot free for both whose first ``hours_of`` people are in hours."""
    people = _people(tools, NAMES)
    busy = {p["id"]: _busy(tools, p["id"]) for p in people}
    lo = DAY * 1440
    t = next(_slots(people, busy, 30, lo, lo + 1440, hours=people[:hours_of]), None)
    return {"start_utc": "" if t is None else _s(t)}
