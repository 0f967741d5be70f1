from .l4_params import CLIENTS, RADIUS
from .solve_lib import _fitting, _near


def _options(tools):
    """Each client with the listings of their brief near a metro station."""
    out = []
    for name in CLIENTS:
        cl = tools.get_client(name=name)
        rows = [r for r in _fitting(tools, cl) if _near(tools, r["id"], "metro", RADIUS)]
        out.append((cl, rows))
    return out
