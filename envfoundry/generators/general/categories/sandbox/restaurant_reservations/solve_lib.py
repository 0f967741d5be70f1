"""Solution helpers: free tables that seat the party, booking one."""

from .sitting import _inside_hours, _m


def _fits(tools, rest, date, time, size):
    # free tables seating size people, smallest first; [] when the time is outside the hours
    if not _inside_hours(rest, _m(time)):
        return []
    free = tools.get_table_availability(restaurant_id=rest["id"], date=date, time=time)
    ok = [t for t in free if t["seats"] >= size]
    return sorted(ok, key=lambda t: (t["seats"], t["table_id"]))


def _reserve(tools, rest, table_id, date, time, size, party):
    res = tools.make_reservation(
        restaurant_id=rest["id"],
        table_id=table_id,
        date=date,
        time=time,
        party_size=size,
        party_name=party,
    )
    return res["reservation_id"]
