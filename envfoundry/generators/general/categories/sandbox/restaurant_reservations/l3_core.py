from .l3_params import CITY, DATES, MIN_RATING, PARTY, SIZE, TIME
from .solve_lib import _book_best, _vegan_rated


def _dinners(tools, vegan_only):
    rests = _vegan_rated(tools, CITY, MIN_RATING, vegan_only)
    return {"reservation_ids": [_book_best(tools, rests, d, TIME, SIZE, PARTY) for d in DATES]}
