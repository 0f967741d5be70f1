from .l1_params import EVENT, NAME, QTY
from .solve_lib import _buy


def _buy_in(tools, choose):
    """Buy QTY tickets in the section ``choose(sections, sections with the seats)`` picks."""
    cid = tools.find_customer(name=NAME)["id"]
    sections = tools.get_event(event_id=EVENT)["sections"]
    ok = [s for s in sections if s["seats_left"] >= QTY]
    return {"order_id": _buy(tools, cid, EVENT, choose(sections, ok)["name"], QTY)}
