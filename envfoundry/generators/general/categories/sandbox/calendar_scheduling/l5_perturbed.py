from .l5_core import _move


def solve(tools):
    # books both again but never cancels the old follow-up
    return _move(tools, cancel_followup=False)
