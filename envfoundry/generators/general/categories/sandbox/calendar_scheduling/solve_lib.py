"""Solution helpers: people by name, busy times from the tools, free slots, booking."""

from .clock import _in_hours, _overlaps, _s, _t


def _people(tools, names):
    everyone = {p["name"]: p for p in tools.list_people()}
    return [everyone[n] for n in names]


def _intervals(rows):
    return [(_t(r["start"]), _t(r["end"])) for r in rows]


def _busy(tools, pid):
    dates = [_s(day * 1440)[:10] for day in range(5)]
    return [x for date in dates for x in _intervals(tools.get_busy(person_id=pid, date=date))]


def _room_busy(tools, rid):
    dates = [_s(day * 1440)[:10] for day in range(5)]
    rows = [tools.get_room_schedule(room_id=rid, date=date) for date in dates]
    return [x for day in rows for x in _intervals(day)]


def _slots(people, busy, d, lo=0, hi=5 * 1440, lunch=False, hours=None):
    """Start times where everyone is free (and ``hours``, default everyone, in hours)."""
    hours = people if hours is None else hours
    for t in range(lo, hi, 30):
        if all(_in_hours(p, t, d, lunch) for p in hours) and not any(
            _overlaps(busy[p["id"]], t, d) for p in people
        ):
            yield t


def _book(tools, names, d, title, video, lo=0, lunch=False):
    people = _people(tools, names)
    busy = {p["id"]: _busy(tools, p["id"]) for p in people}
    rooms = sorted(
        (
            r
            for r in tools.list_rooms()
            if r["capacity"] >= len(people) and (r["has_video"] or not video)
        ),
        key=lambda r: (r["capacity"], r["id"]),
    )
    room_busy = {r["id"]: _room_busy(tools, r["id"]) for r in rooms}
    for t in _slots(people, busy, d, lo, 5 * 1440, lunch):
        for r in rooms:
            if not _overlaps(room_busy[r["id"]], t, d):
                return tools.book_meeting(
                    title=title,
                    start_utc=_s(t),
                    duration_min=d,
                    attendee_ids=[p["id"] for p in people],
                    room_id=r["id"],
                )
    return None
