from .l1_core import _doctor_ids
from .l1_params import INSURER


def solve(tools):
    return _doctor_ids(tools, INSURER)
