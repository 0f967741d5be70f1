

def _people(tools, names):
    everyone = {p["name"]: p for p in tools.list_people()}
    return [everyone[n] for n in names]


def _busy(tools, pid):
    out = []
    for day in range(5):
        for e in tools.get_busy(person_id=pid, date=_s(day * 1440)[:10]):
            out.append((_t(e["start"]), _t(e["end"])))
    return out


def _room_busy(tools, rid):
    out = []
    for day in range(5):
        for b in tools.get_room_schedule(room_id=rid, date=_s(day * 1440)[:10]):
            out.append((_t(b["start"]), _t(b["end"])))
    return out


def _slots(people, busy, d, lo=0, hi=5 * 1440, lunch=False):
    for t in range(lo, hi, 30):
        if all(_in_hours(p, t, d, lunch) and not _overlaps(busy[p["id"]], t, d) for p in people):
            yield t
