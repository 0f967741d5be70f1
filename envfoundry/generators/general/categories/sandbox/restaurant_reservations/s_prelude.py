
def _m(t):
    return int(t[:2]) * 60 + int(t[3:])


def _fits(tools, rest, date, time, size):
    # free tables seating size people, smallest first; [] when the time is outside the hours
    if _m(time) < _m(rest["opens"]) or _m(time) + 120 > _m(rest["closes"]):
        return []
    free = tools.get_table_availability(restaurant_id=rest["id"], date=date, time=time)
    return sorted((t for t in free if t["seats"] >= size), key=lambda t: (t["seats"], t["table_id"]))
