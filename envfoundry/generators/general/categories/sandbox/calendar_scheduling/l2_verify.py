

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("start_utc"), str):
        return False, "answer must be an object with a string 'start_utc'"
    people = [_person(db, n) for n in {{NAMES}}]
    want = next((t for t in range(0, 5 * 1440, 30) if _valid(db, people, t, {{DURATION}}, ())), None)
    if want is None or answer["start_utc"] != _s(want):
        return False, f"the earliest common slot is not {answer['start_utc']!r}"
    return True, "earliest common slot of the week"
