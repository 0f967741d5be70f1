from .clock import _s
from .l2_params import DURATION
from .solve_lib import _busy, _people, _slots


def _week_slot(tools, names):
    people = _people(tools, names)
    busy = {p["id"]: _busy(tools, p["id"]) for p in people}
    t = next(_slots(people, busy, DURATION), None)
    return {"start_utc": "" if t is None else _s(t)}
