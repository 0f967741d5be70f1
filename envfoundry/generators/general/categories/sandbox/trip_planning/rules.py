"""The day rules that depend on the night's hotel price."""

RAINY = ("rain", "thunderstorm")


def _rule(price, lunch, dinner, att):
    """The rule a day breaks, or None."""
    if price >= 800:
        if lunch["avg_cost"] + dinner["avg_cost"] >= 350:
            return "with a hotel of 800+ lunch and dinner must cost less than 350 together"
        if min(lunch["rating"], dinner["rating"]) < 4.0:
            return "with a hotel of 800+ both restaurants must be rated at least 4.0"
        if att["ticket_price"] >= 120:
            return "with a hotel of 800+ the attraction ticket must be under 120"
    elif price >= 500:
        if max(lunch["rating"], dinner["rating"]) < 4.0:
            return "with a hotel of 500-799 one restaurant must be rated at least 4.0"
        if att["ticket_price"] >= 180:
            return "with a hotel of 500-799 the attraction ticket must be under 180"
    elif price >= 200 and max(lunch["rating"], dinner["rating"]) < 3.2:
        return "with a hotel of 200-499 one restaurant must be rated at least 3.2"
    return None
