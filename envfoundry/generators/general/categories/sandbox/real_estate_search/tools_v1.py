"""Rental search tools: listings, nearby amenities, client briefs and holds."""

from ..helpers import _by_id, _canon, _dicts, _insert, _named, _text_arg
from .geo import _km

KINDS = ("metro", "school", "park", "supermarket", "hospital")
BRIEF = ("id", "name", "city", "budget", "min_bedrooms", "needs_pets", "commute_mode")


def search_listings(db, city, max_rent=None, min_bedrooms=None, pets_allowed=None):
    """Available listings in a city, optionally filtered by rent, bedrooms and pets."""
    sql = (
        "SELECT id, neighborhood, type, bedrooms, bathrooms, area_sqm, monthly_rent,"
        " pets_allowed FROM listings WHERE city = ? AND status = 'available'"
    )
    args = [_canon(db, "listings", "city", _text_arg(city, "city"), "city")]
    if max_rent is not None:
        sql += " AND monthly_rent <= ?"
        args.append(max_rent)
    if min_bedrooms is not None:
        sql += " AND bedrooms >= ?"
        args.append(min_bedrooms)
    if pets_allowed is not None:
        sql += " AND pets_allowed = ?"
        args.append(1 if pets_allowed else 0)
    rows = _dicts(db, sql + " ORDER BY id", args)
    for r in rows:
        r["pets_allowed"] = bool(r["pets_allowed"])
    return rows


def get_listing(db, listing_id):
    """Full details of a listing, including address, coordinates and status."""
    out = dict(_by_id(db, "listings", listing_id, "listing_id"))
    out["pets_allowed"], out["furnished"] = bool(out["pets_allowed"]), bool(out["furnished"])
    return out


def nearby_amenities(db, listing_id, kind, radius_km):
    """Amenities of a kind (metro, school, park, supermarket, hospital) within radius_km of a
    listing, nearest first, with straight-line distance_km (rounded to 0.01 km)."""
    lst = _by_id(db, "listings", listing_id, "listing_id")
    kind = kind.strip().lower() if isinstance(kind, str) else kind
    if kind not in KINDS:
        raise ValueError("kind must be one of metro, school, park, supermarket, hospital")
    if not isinstance(radius_km, int | float) or radius_km <= 0 or radius_km > 10:
        raise ValueError("radius_km must be a number in (0, 10]")
    out = []
    for a in db.execute("SELECT * FROM amenities WHERE city = ? AND kind = ?", (lst["city"], kind)):
        km = _km(lst["lat"], lst["lon"], a["lat"], a["lon"])
        if km <= radius_km:
            out.append({"amenity_id": a["id"], "name": a["name"], "distance_km": km})
    return sorted(out, key=lambda a: (a["distance_km"], a["amenity_id"]))


def get_client(db, name):
    """A client's brief by exact name: id, city, budget (max monthly rent), min_bedrooms,
    needs_pets and commute_mode."""
    row = _named(db, "clients", name, "client")
    out = {k: row[k] for k in BRIEF}
    out["needs_pets"] = bool(out["needs_pets"])
    return out


def place_hold(db, listing_id, client_id):
    """Reserve an available listing for a client (status becomes 'held')."""
    lst = _by_id(db, "listings", listing_id, "listing_id")
    _by_id(db, "clients", client_id, "client_id")
    if lst["status"] != "available":
        raise ValueError(f"listing {listing_id} is {lst['status']}")
    db.execute("UPDATE listings SET status = 'held' WHERE id = ?", (listing_id,))
    hold = _insert(db, "holds", listing_id=listing_id, client_id=client_id, status="active")
    return {"hold_id": hold, "listing_id": listing_id, "client_id": client_id}
