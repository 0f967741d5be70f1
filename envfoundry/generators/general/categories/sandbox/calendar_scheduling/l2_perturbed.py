

def solve(tools):
    people = _people(tools, {{NAMES}})[:2]  # drops the third
    busy = {p["id"]: _busy(tools, p["id"]) for p in people}
    for t in _slots(people, busy, {{DURATION}}):
        return {"start_utc": _s(t)}
    return {"start_utc": ""}
