

def solve(tools):
    # checks both calendars but only the first person's working hours
    people = _people(tools, {{NAMES}})
    busy = {p["id"]: _busy(tools, p["id"]) for p in people}
    for t in _slots(people[:1], busy, 30, {{DAY}} * 1440, ({{DAY}} + 1) * 1440):
        if not _overlaps(busy[people[1]["id"]], t, 30):
            return {"start_utc": _s(t)}
    return {"start_utc": ""}
