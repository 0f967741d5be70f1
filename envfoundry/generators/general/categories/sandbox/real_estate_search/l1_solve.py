
def solve(tools):
    rows = tools.search_listings(city={{CITY}}, max_rent={{MAX_RENT}}, min_bedrooms={{MIN_BED}}, pets_allowed=True)
    return {"listing_ids": sorted(r["id"] for r in rows)}
