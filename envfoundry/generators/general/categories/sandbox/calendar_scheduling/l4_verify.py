

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("meeting_ids"), list):
        return False, "answer must be an object with a list 'meeting_ids'"
    new = [m for m in _meetings(db) if m["id"] not in {{BEFORE}}]
    if len(new) != 2 or sorted(m["id"] for m in new) != sorted(answer["meeting_ids"]):
        return False, "exactly the two answered meetings must be new"
    by_title = {m["title"]: m for m in new}
    if sorted(by_title) != sorted([{{TITLE1}}, {{TITLE2}}]):
        return False, "the meetings must carry the requested titles"
    m1, m2 = by_title[{{TITLE1}}], by_title[{{TITLE2}}]
    # each meeting is judged against everything else in the calendar, the other one included
    for m, names, d in ((m1, {{NAMES1}}, {{DURATION1}}), (m2, {{NAMES2}}, {{DURATION2}})):
        problem = _check_meeting(db, m, [_person(db, n) for n in names], d, False, (m["id"],), True)
        if problem:
            return False, f"{m['title']}: {problem}"
    p1 = [_person(db, n) for n in {{NAMES1}}]
    if _t(m1["start"]) != _earliest(db, p1, {{DURATION1}}, (m1["id"],), False, lunch=True):
        return False, "the first meeting is not at its earliest valid slot"
    lo = (_t(m1["start"]) // 1440 + 1) * 1440
    p2 = [_person(db, n) for n in {{NAMES2}}]
    if _t(m2["start"]) < lo or _t(m2["start"]) != _earliest(db, p2, {{DURATION2}}, (m2["id"],), False, lo, lunch=True):
        return False, "the follow-up is not at its earliest valid slot on a later day"
    return True, "meeting and follow-up booked"
