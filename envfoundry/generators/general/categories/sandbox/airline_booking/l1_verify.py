
def verify(answer, db):
    if not isinstance(answer, dict) or not _int(answer.get("flight_id")):
        return False, "answer must be an object with an integer 'flight_id'"
    rows = db.execute(
        "SELECT f.* FROM flights f JOIN airports o ON o.iata = f.origin"
        " JOIN airports d ON d.iata = f.destination WHERE o.city = ? AND d.city = ?"
        " AND substr(f.departure, 1, 10) = ? AND f.status = 'scheduled'"
        " AND f.economy_seats_left > 0", ({{ORIGIN}}, {{DEST}}, {{DATE}})).fetchall()
    pick = [r for r in rows if r["id"] == answer["flight_id"]]
    if not pick:
        return False, "not a scheduled flight with economy seats on the asked route and date"
    if pick[0]["economy_fare"] > min(r["economy_fare"] for r in rows):
        return False, "a cheaper bookable economy fare exists"
    return True, "cheapest bookable economy flight"
