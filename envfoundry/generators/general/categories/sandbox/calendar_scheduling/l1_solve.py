

def solve(tools):
    people = _people(tools, {{NAMES}})
    busy = {p["id"]: _busy(tools, p["id"]) for p in people}
    for t in _slots(people, busy, 30, {{DAY}} * 1440, ({{DAY}} + 1) * 1440):
        return {"start_utc": _s(t)}
    return {"start_utc": ""}
