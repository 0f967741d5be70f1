

def _book(tools, names, d, title, video, lo=0, lunch=False):
    people = _people(tools, names)
    busy = {p["id"]: _busy(tools, p["id"]) for p in people}
    rooms = sorted((r for r in tools.list_rooms() if r["capacity"] >= len(people)
                    and (r["has_video"] or not video)), key=lambda r: (r["capacity"], r["id"]))
    room_busy = {r["id"]: _room_busy(tools, r["id"]) for r in rooms}
    for t in _slots(people, busy, d, lo, 5 * 1440, lunch):
        for r in rooms:
            if not _overlaps(room_busy[r["id"]], t, d):
                m = tools.book_meeting(title=title, start_utc=_s(t), duration_min=d,
                                       attendee_ids=[p["id"] for p in people], room_id=r["id"])
                return m
    return None
