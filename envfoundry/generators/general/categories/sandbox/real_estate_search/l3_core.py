from .l3_params import CLIENT, RADIUS
from .solve_lib import _fitting, _hold, _near


def _largest_near(tools, kinds):
    cl = tools.get_client(name=CLIENT)
    ok = [r for r in _fitting(tools, cl) if all(_near(tools, r["id"], k, RADIUS) for k in kinds)]
    return {"listing_id": _hold(tools, cl, max(ok, key=lambda r: r["area_sqm"]))}
