from .l1_params import CITY, MAX_RENT, MIN_BED


def _listing_ids(tools, pets):
    extra = {} if pets is None else {"pets_allowed": pets}  # never null: schema is boolean
    rows = tools.search_listings(city=CITY, max_rent=MAX_RENT, min_bedrooms=MIN_BED, **extra)
    return {"listing_ids": sorted(r["id"] for r in rows)}
