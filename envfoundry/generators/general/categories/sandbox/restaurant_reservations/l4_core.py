from .l4_params import CITY, DATES, MIN_RATING, PARTY, SIZE
from .solve_lib import _book_best, _vegan_rated


def _replace(tools, cancel):
    """Cancel the party's reservation, book the best free restaurant at its time each night."""
    old = tools.find_reservations(party_name=PARTY)[0]
    if cancel:
        tools.cancel_reservation(reservation_id=old["reservation_id"])
    rests = _vegan_rated(tools, CITY, MIN_RATING)
    ids = [_book_best(tools, rests, d, old["time"], SIZE, PARTY) for d in DATES]
    return {"reservation_ids": ids}
