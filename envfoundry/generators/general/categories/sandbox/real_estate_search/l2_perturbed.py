from .l2_params import CITY, MIN_BED


def solve(tools):
    # takes the cheapest listing and never checks the metro distance
    rows = tools.search_listings(city=CITY, min_bedrooms=MIN_BED)
    return {"listing_id": min(rows, key=lambda r: (r["monthly_rent"], r["id"]))["id"]}
