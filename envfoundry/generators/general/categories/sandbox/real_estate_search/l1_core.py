from .l1_params import CITY, MAX_RENT, MIN_BED


def _listing_ids(tools, pets):
    # never null: the schema is boolean; keywords spelled out (a dialect renames them)
    if pets is None:
        rows = tools.search_listings(city=CITY, max_rent=MAX_RENT, min_bedrooms=MIN_BED)
    else:
        rows = tools.search_listings(
            city=CITY, max_rent=MAX_RENT, min_bedrooms=MIN_BED, pets_allowed=pets
        )
    return {"listing_ids": sorted(r["id"] for r in rows)}
