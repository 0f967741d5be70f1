from .l1_params import CITY, SPEC
from .solve_lib import _takes


def _doctor_ids(tools, insurer):
    docs = tools.list_doctors(specialty=SPEC, city=CITY)
    keep = [d["id"] for d in docs if insurer is None or _takes(tools, d, insurer)]
    return {"doctor_ids": sorted(keep)}
