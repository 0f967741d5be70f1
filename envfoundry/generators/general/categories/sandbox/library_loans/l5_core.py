from .l5_params import NAME
from .solve_lib import _due_by


def _due_soon(tools):
    """The member's active loans due within the next 5 days."""
    m = tools.find_member(name=NAME)
    listing = tools.list_loans(member_id=m["id"])
    soon = _due_by(listing, 5)
    return [x for x in listing["loans"] if x["due_date"] <= soon]
