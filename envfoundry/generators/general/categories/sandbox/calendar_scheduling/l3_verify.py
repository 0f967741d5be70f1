

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("meeting_id"), int):
        return False, "answer must be an object with an integer 'meeting_id'"
    new = [m for m in _meetings(db) if m["id"] not in {{BEFORE}}]
    if len(new) != 1 or new[0]["id"] != answer["meeting_id"] or new[0]["title"] != {{TITLE}}:
        return False, "exactly one new meeting, the one answered and titled as asked, is expected"
    m = new[0]
    people = [_person(db, n) for n in {{NAMES}}]
    problem = _check_meeting(db, m, people, {{DURATION}}, True, (m["id"],))
    if problem:
        return False, problem
    if _t(m["start"]) != _earliest(db, people, {{DURATION}}, (m["id"],), True):
        return False, "an earlier slot with a free video room existed"
    return True, "meeting booked at the earliest valid slot"
