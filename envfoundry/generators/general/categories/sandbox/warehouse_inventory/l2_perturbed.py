

def solve(tools):
    # only checks that the source holds the quantity, not that it stays above reorder point
    dest, lane, code = _best(tools, False, 99)
    return {"source": code, "total_cost": round({{QTY}} * lane["cost_per_unit"], 2)}
