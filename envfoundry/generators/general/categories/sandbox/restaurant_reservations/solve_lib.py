"""Solution helpers: the vegan restaurants of a city rated at least a minimum, free tables
that seat the party, the best-rated restaurant with one, booking one."""

from .sitting import _inside_hours, _m


def _vegan_rated(tools, city, min_rating, vegan_only=True):
    """Full details of the city's restaurants rated at least ``min_rating`` (the vegan ones
    unless ``vegan_only`` is false): one search, then one detail read per restaurant."""
    found = tools.search_restaurants(city=city, min_rating=min_rating)
    rests = [tools.get_restaurant(restaurant_id=r["id"]) for r in found]
    return [r for r in rests if r["vegan"] or not vegan_only]


def _fits(tools, rest, date, time, size):
    # free tables seating size people, smallest first; [] when the time is outside the hours
    if not _inside_hours(rest, _m(time)):
        return []
    free = tools.get_table_availability(restaurant_id=rest["id"], date=date, time=time)
    ok = [t for t in free if t["seats"] >= size]
    return sorted(ok, key=lambda t: (t["seats"], t["table_id"]))


def _best_free(tools, rests, date, time, size, check_tables=True):
    """(restaurant, its free tables) of the best-rated of ``rests`` with a table seating the
    party at date/time, or None; without ``check_tables``, the best-rated of all."""
    options = [(r, _fits(tools, r, date, time, size) if check_tables else [None]) for r in rests]
    options = [(r, free) for r, free in options if free]
    return max(options, key=lambda o: o[0]["rating"]) if options else None


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


def _book_best(tools, rests, date, time, size, party):
    """Book the party at the best-rated of ``rests`` free then, at its smallest fitting
    table; the new reservation's id (-1 when none is free)."""
    best = _best_free(tools, rests, date, time, size)
    if best is None:
        return -1
    rest, free = best
    return _reserve(tools, rest, free[0]["table_id"], date, time, size, party)
