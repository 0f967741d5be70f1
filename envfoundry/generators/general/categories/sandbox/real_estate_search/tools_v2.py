
MINUTES_PER_KM = {'transit': 3.0, 'car': 2.2, 'bike': 4.0}


def estimate_commute(db, listing_id, client_id):
    """Door-to-door commute in minutes from a listing to the client's workplace by the
    client's commute mode: 6 + minutes_per_km x distance (transit 3.0, car 2.2, bike 4.0)."""
    lst, cl = _listing(db, listing_id), _client(db, client_id)
    km = _km(lst["lat"], lst["lon"], cl["work_lat"], cl["work_lon"])
    return {"listing_id": listing_id, "client_id": client_id, "mode": cl["commute_mode"],
            "minutes": round(6 + MINUTES_PER_KM[cl["commute_mode"]] * km)}
