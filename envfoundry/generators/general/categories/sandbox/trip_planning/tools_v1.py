"""Trip planning tools over a travel database: cities, hotels, restaurants, attractions, transport."""

from ..helpers import _canon, _dicts, _text_arg


def _city(db, city):
    city = _canon(db, "cities", "name", _text_arg(city, "city"), "city")
    if db.execute("SELECT 1 FROM cities WHERE name = ?", (city,)).fetchone() is None:
        raise ValueError(f"unknown city {city!r}; get_all_cities lists the cities")
    return city


def _one(db, table, name, what):
    name = _canon(db, table, "name", _text_arg(name, what), what)
    row = db.execute(f"SELECT * FROM {table} WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise ValueError(f"no {what} named {name!r}")
    out = dict(row)
    out.pop("id", None)
    return out


def _names(db, table, city):
    rows = db.execute(f"SELECT name FROM {table} WHERE city = ? ORDER BY name", (_city(db, city),))
    return [r["name"] for r in rows]


def get_all_cities(db):
    """Every city with its country and population; is_home marks the traveller's home city."""
    return _dicts(db, "SELECT name, country, population, is_home FROM cities ORDER BY name")


def get_all_hotels_by_city(db, city):
    """Names of the hotels in a city."""
    return _names(db, "hotels", city)


def get_infos_by_hotel(db, hotel):
    """A hotel's city, stars, price per night and guest rating."""
    return _one(db, "hotels", hotel, "hotel")


def get_all_restaurants_by_city(db, city):
    """Names of the restaurants in a city."""
    return _names(db, "restaurants", city)


def get_infos_by_restaurant(db, restaurant):
    """A restaurant's city, cuisine, average cost per person and rating."""
    return _one(db, "restaurants", restaurant, "restaurant")


def get_all_attractions_by_city(db, city):
    """Names of the attractions in a city."""
    return _names(db, "attractions", city)


def get_infos_by_attraction(db, attraction):
    """An attraction's city, category, setting (indoor/outdoor), ticket price and rating."""
    return _one(db, "attractions", attraction, "attraction")


def get_inter_city_transport(db, from_city, to_city):
    """Direct transport options (train, bus, flight) from one city to another."""
    from_city, to_city = _city(db, from_city), _city(db, to_city)
    if from_city == to_city:
        raise ValueError("from_city and to_city must differ")
    return _dicts(
        db,
        "SELECT id AS transport_id, from_city, to_city, mode, departure_time, duration_min, price"
        " FROM transport WHERE from_city = ? AND to_city = ? ORDER BY id",
        (from_city, to_city),
    )
