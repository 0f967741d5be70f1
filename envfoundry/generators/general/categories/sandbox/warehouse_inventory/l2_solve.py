

def solve(tools):
    dest, lane, code = _best(tools, True, 99)
    return {"source": code, "total_cost": round({{QTY}} * lane["cost_per_unit"], 2)}
