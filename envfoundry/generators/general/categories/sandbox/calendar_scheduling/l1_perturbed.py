from .l1_core import _first_slot


def solve(tools):
    # checks both calendars but only the first person's working hours
    return _first_slot(tools, hours_of=1)
