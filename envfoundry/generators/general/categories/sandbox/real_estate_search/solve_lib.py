"""Solution helpers: listings that fit a client's brief, amenities nearby, holds."""


def _fitting(tools, cl):
    # an unneeded filter is left out, not sent as null (the tool's schema says boolean)
    if not cl["needs_pets"]:
        return tools.search_listings(
            city=cl["city"], max_rent=cl["budget"], min_bedrooms=cl["min_bedrooms"]
        )
    return tools.search_listings(
        city=cl["city"], max_rent=cl["budget"], min_bedrooms=cl["min_bedrooms"], pets_allowed=True
    )


def _near(tools, lid, kind, radius):
    return bool(tools.nearby_amenities(listing_id=lid, kind=kind, radius_km=radius))


def _hold(tools, cl, listing):
    tools.place_hold(listing_id=listing["id"], client_id=cl["id"])
    return listing["id"]
