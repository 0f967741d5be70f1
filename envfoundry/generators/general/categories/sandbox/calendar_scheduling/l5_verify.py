

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("meeting_id"), int):
        return False, "answer must be an object with an integer 'meeting_id'"
    old = db.execute("SELECT * FROM meetings WHERE id = ?", ({{OLD_ID}},)).fetchone()
    left = db.execute("SELECT COUNT(*) AS n FROM events WHERE meeting_id = ? AND status = 'active'",
                      ({{OLD_ID}},)).fetchone()["n"]
    if old["status"] != "cancelled" or left:
        return False, "the original meeting must be cancelled"
    new = [m for m in _meetings(db) if m["id"] not in {{BEFORE}}]
    if len(new) != 1 or new[0]["id"] != answer["meeting_id"] or new[0]["title"] != old["title"]:
        return False, "exactly one new meeting with the same title, the one answered, is expected"
    m = new[0]
    people = [_person(db, n) for n in {{NAMES}}]
    d = _t(old["end"]) - _t(old["start"])
    problem = _check_meeting(db, m, people, d, False, (m["id"],))
    if problem:
        return False, problem
    lo = (_t(old["start"]) // 1440 + 1) * 1440
    if _t(m["start"]) < lo or _t(m["start"]) != _earliest(db, people, d, (m["id"],), False, lo):
        return False, "not the earliest valid slot after the original day"
    return True, "meeting rescheduled"
