"""Generated-code templates of the real_estate_search category (tools, solutions, verifiers)."""

from __future__ import annotations

from envfoundry.generators.general.categories._booking_kit import spec

SCHEMA_SQL = """
CREATE TABLE listings (id INTEGER PRIMARY KEY, city TEXT NOT NULL, country TEXT NOT NULL,
  neighborhood TEXT NOT NULL, address TEXT NOT NULL, type TEXT NOT NULL,
  bedrooms INTEGER NOT NULL, bathrooms INTEGER NOT NULL, area_sqm INTEGER NOT NULL,
  monthly_rent INTEGER NOT NULL, pets_allowed INTEGER NOT NULL, furnished INTEGER NOT NULL,
  lat REAL NOT NULL, lon REAL NOT NULL, status TEXT NOT NULL);
CREATE TABLE amenities (id INTEGER PRIMARY KEY, city TEXT NOT NULL, kind TEXT NOT NULL,
  name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL);
CREATE TABLE clients (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT NOT NULL,
  budget INTEGER NOT NULL, min_bedrooms INTEGER NOT NULL, needs_pets INTEGER NOT NULL,
  commute_mode TEXT NOT NULL, work_lat REAL NOT NULL, work_lon REAL NOT NULL);
CREATE TABLE holds (id INTEGER PRIMARY KEY, listing_id INTEGER NOT NULL REFERENCES listings(id),
  client_id INTEGER NOT NULL REFERENCES clients(id), status TEXT NOT NULL);
"""

KM = """
def _km(lat1, lon1, lat2, lon2):
    import math
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return round(2 * 6371.0 * math.asin(math.sqrt(a)), 2)
"""
MINUTES_PER_KM = {"transit": 3.0, "car": 2.2, "bike": 4.0}

TOOLS_V1 = (
    '''"""Rental search tools: listings, nearby amenities, client briefs and holds."""
'''
    + KM
    + '''

def _listing(db, listing_id):
    if not isinstance(listing_id, int) or isinstance(listing_id, bool):
        raise ValueError("listing_id must be an integer")
    row = db.execute("SELECT * FROM listings WHERE id = ?", (listing_id,)).fetchone()
    if row is None:
        raise ValueError(f"no listing with id {listing_id}")
    return dict(row)


def _client(db, client_id):
    if not isinstance(client_id, int) or isinstance(client_id, bool):
        raise ValueError("client_id must be an integer")
    row = db.execute("SELECT * FROM clients WHERE id = ?", (client_id,)).fetchone()
    if row is None:
        raise ValueError(f"no client with id {client_id}")
    return dict(row)


def search_listings(db, city, max_rent=None, min_bedrooms=None, pets_allowed=None):
    """Available listings in a city, optionally filtered by rent, bedrooms and pets."""
    if not isinstance(city, str) or not city:
        raise ValueError("city must be a non-empty string")
    sql = ("SELECT id, neighborhood, type, bedrooms, bathrooms, area_sqm, monthly_rent,"
           " pets_allowed FROM listings WHERE city = ? AND status = 'available'")
    args = [city]
    if max_rent is not None:
        sql += " AND monthly_rent <= ?"
        args.append(max_rent)
    if min_bedrooms is not None:
        sql += " AND bedrooms >= ?"
        args.append(min_bedrooms)
    if pets_allowed is not None:
        sql += " AND pets_allowed = ?"
        args.append(1 if pets_allowed else 0)
    rows = [dict(r) for r in db.execute(sql + " ORDER BY id", args)]
    for r in rows:
        r["pets_allowed"] = bool(r["pets_allowed"])
    return rows


def get_listing(db, listing_id):
    """Full details of a listing, including address, coordinates and status."""
    out = _listing(db, listing_id)
    out["pets_allowed"], out["furnished"] = bool(out["pets_allowed"]), bool(out["furnished"])
    return out


def nearby_amenities(db, listing_id, kind, radius_km):
    """Amenities of a kind (metro, school, park, supermarket, hospital) within radius_km of a
    listing, nearest first, with straight-line distance_km (rounded to 0.01 km)."""
    lst = _listing(db, listing_id)
    if kind not in ("metro", "school", "park", "supermarket", "hospital"):
        raise ValueError("kind must be one of metro, school, park, supermarket, hospital")
    if not isinstance(radius_km, (int, float)) or radius_km <= 0 or radius_km > 10:
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
    if not isinstance(name, str) or not name:
        raise ValueError("name must be a non-empty string")
    row = db.execute(
        "SELECT id, name, city, budget, min_bedrooms, needs_pets, commute_mode FROM clients"
        " WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise ValueError(f"no client named {name!r}")
    out = dict(row)
    out["needs_pets"] = bool(out["needs_pets"])
    return out


def place_hold(db, listing_id, client_id):
    """Reserve an available listing for a client (status becomes 'held')."""
    lst = _listing(db, listing_id)
    _client(db, client_id)
    if lst["status"] != "available":
        raise ValueError(f"listing {listing_id} is {lst['status']}")
    db.execute("UPDATE listings SET status = 'held' WHERE id = ?", (listing_id,))
    cur = db.execute("INSERT INTO holds (listing_id, client_id, status) VALUES (?, ?, 'active')",
                     (listing_id, client_id))
    return {"hold_id": cur.lastrowid, "listing_id": listing_id, "client_id": client_id}
'''
)

TOOLS_V2_EXTRA = (
    """
MINUTES_PER_KM = """
    + repr(MINUTES_PER_KM)
    + '''


def estimate_commute(db, listing_id, client_id):
    """Door-to-door commute in minutes from a listing to the client's workplace by the
    client's commute mode: 6 + minutes_per_km x distance (transit 3.0, car 2.2, bike 4.0)."""
    lst, cl = _listing(db, listing_id), _client(db, client_id)
    km = _km(lst["lat"], lst["lon"], cl["work_lat"], cl["work_lon"])
    return {"listing_id": listing_id, "client_id": client_id, "mode": cl["commute_mode"],
            "minutes": round(6 + MINUTES_PER_KM[cl["commute_mode"]] * km)}
'''
)

_LID = {"type": "integer", "description": "Listing id."}
TOOLS_V1_SPECS = (
    spec(
        "search_listings",
        "Available rental listings in a city (id, neighborhood, type, bedrooms, bathrooms, "
        "area_sqm, monthly_rent, pets_allowed), optionally filtered by maximum rent, minimum "
        "bedrooms and whether pets are allowed.",
        {
            "city": {"type": "string"},
            "max_rent": {"type": "number"},
            "min_bedrooms": {"type": "integer", "minimum": 0},
            "pets_allowed": {"type": "boolean"},
        },
        ["city"],
    ),
    spec("get_listing", "Full details of one listing.", {"listing_id": _LID}, ["listing_id"]),
    spec(
        "nearby_amenities",
        "Amenities of one kind (metro, school, park, supermarket, hospital) within radius_km "
        "of a listing, nearest first, with straight-line distance_km rounded to 0.01.",
        {
            "listing_id": _LID,
            "kind": {"type": "string", "enum": ["metro", "school", "park", "supermarket",
                                                 "hospital"]},
            "radius_km": {"type": "number", "exclusiveMinimum": 0, "maximum": 10},
        },
        ["listing_id", "kind", "radius_km"],
    ),
    spec(
        "get_client",
        "A client's brief by exact name: id, city, budget (max monthly rent), min_bedrooms, "
        "needs_pets, commute_mode.",
        {"name": {"type": "string", "minLength": 1}},
        ["name"],
    ),
    spec(
        "place_hold",
        "Hold an available listing for a client; the listing's status becomes 'held'. Fails "
        "when the listing is not available.",
        {"listing_id": _LID, "client_id": {"type": "integer"}},
        ["listing_id", "client_id"],
        mutates=True,
    ),
)  # fmt: skip
TOOLS_V2_SPECS = (
    spec(
        "estimate_commute",
        "Commute time in whole minutes from a listing to the client's workplace, by the "
        "client's commute mode.",
        {"listing_id": _LID, "client_id": {"type": "integer"}},
        ["listing_id", "client_id"],
    ),
)

V_PRELUDE = (
    KM
    + """

def _near(db, lst, kind, radius):
    return any(_km(lst["lat"], lst["lon"], a["lat"], a["lon"]) <= radius for a in db.execute(
        "SELECT * FROM amenities WHERE city = ? AND kind = ?", (lst["city"], kind)))


def _client(db, name):
    return db.execute("SELECT * FROM clients WHERE name = ?", (name,)).fetchone()


def _holds(db, cid):
    return db.execute("SELECT * FROM holds WHERE client_id = ? AND status = 'active' ORDER BY id",
                      (cid,)).fetchall()


def _fits(cl, lst):
    return (lst["city"] == cl["city"] and lst["monthly_rent"] <= cl["budget"]
            and lst["bedrooms"] >= cl["min_bedrooms"] and (lst["pets_allowed"] or not cl["needs_pets"]))


def _pool(db, held):
    # listings available before the task: still available, or held by the task's own holds
    return [r for r in db.execute("SELECT * FROM listings ORDER BY id")
            if r["status"] == "available" or r["id"] in held]
"""
)

# ------------------------------------------------------------------ level 1: filter (read)

L1_SOLVE = """
def solve(tools):
    rows = tools.search_listings(city={{CITY}}, max_rent={{MAX_RENT}}, min_bedrooms={{MIN_BED}}, pets_allowed=True)
    return {"listing_ids": sorted(r["id"] for r in rows)}
"""
L1_PERTURBED = L1_SOLVE.replace(", pets_allowed=True", "")
L1_VERIFY = """
def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("listing_ids"), list):
        return False, "answer must be an object with a list 'listing_ids'"
    want = [r["id"] for r in db.execute(
        "SELECT id FROM listings WHERE city = ? AND status = 'available' AND monthly_rent <= ?"
        " AND bedrooms >= ? AND pets_allowed = 1 ORDER BY id", ({{CITY}}, {{MAX_RENT}}, {{MIN_BED}}))]
    if answer["listing_ids"] != want:
        return False, f"expected {want}, got {answer['listing_ids']}"
    return True, "exact list of listings"
"""

# ------------------------------------------------------------------ level 2: cheapest near metro

L2_SOLVE = """
def solve(tools):
    rows = sorted(tools.search_listings(city={{CITY}}, min_bedrooms={{MIN_BED}}),
                  key=lambda r: (r["monthly_rent"], r["id"]))
    for r in rows:
        if tools.nearby_amenities(listing_id=r["id"], kind="metro", radius_km={{RADIUS}}):
            return {"listing_id": r["id"]}
    return {"listing_id": -1}
"""
L2_PERTURBED = """
def solve(tools):
    # takes the cheapest listing and never checks the metro distance
    rows = tools.search_listings(city={{CITY}}, min_bedrooms={{MIN_BED}})
    return {"listing_id": min(rows, key=lambda r: (r["monthly_rent"], r["id"]))["id"]}
"""
L2_VERIFY = (
    V_PRELUDE
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("listing_id"), int):
        return False, "answer must be an object with an integer 'listing_id'"
    ok = [r for r in db.execute("SELECT * FROM listings WHERE city = ? AND status = 'available'"
                                " AND bedrooms >= ?", ({{CITY}}, {{MIN_BED}}))
          if _near(db, r, "metro", {{RADIUS}})]
    pick = [r for r in ok if r["id"] == answer["listing_id"]]
    if not pick:
        return False, "the listing does not meet the bedroom, city or metro-distance rule"
    if pick[0]["monthly_rent"] > min(r["monthly_rent"] for r in ok):
        return False, "a cheaper qualifying listing exists"
    return True, "cheapest listing near a metro station"
"""
)

# ------------------------------------------------------------------ level 3: client hold (write)

_S_BRIEF = """
def _fitting(tools, cl):
    return tools.search_listings(city=cl["city"], max_rent=cl["budget"], min_bedrooms=cl["min_bedrooms"],
                                 pets_allowed=True if cl["needs_pets"] else None)


def _near(tools, lid, kind, radius):
    return bool(tools.nearby_amenities(listing_id=lid, kind=kind, radius_km=radius))
"""
L3_SOLVE = (
    _S_BRIEF
    + """

def solve(tools):
    cl = tools.get_client(name={{CLIENT}})
    ok = [r for r in _fitting(tools, cl)
          if _near(tools, r["id"], "school", {{RADIUS}}) and _near(tools, r["id"], "park", {{RADIUS}})]
    best = max(ok, key=lambda r: r["area_sqm"])
    tools.place_hold(listing_id=best["id"], client_id=cl["id"])
    return {"listing_id": best["id"]}
"""
)
L3_PERTURBED = L3_SOLVE.replace(' and _near(tools, r["id"], "park", {{RADIUS}})', "").replace(
    "def solve(tools):\n", "def solve(tools):\n    # forgets the park requirement\n"
)
L3_VERIFY = (
    V_PRELUDE
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("listing_id"), int):
        return False, "answer must be an object with an integer 'listing_id'"
    cl = _client(db, {{CLIENT}})
    holds = _holds(db, cl["id"])
    if len(holds) != 1 or holds[0]["listing_id"] != answer["listing_id"]:
        return False, "the client must hold exactly the answered listing"
    ok = [r for r in _pool(db, [answer["listing_id"]]) if _fits(cl, r)
          and _near(db, r, "school", {{RADIUS}}) and _near(db, r, "park", {{RADIUS}})]
    pick = [r for r in ok if r["id"] == answer["listing_id"]]
    if not pick or pick[0]["status"] != "held":
        return False, "the listing breaks the brief or the school/park rule, or is not held"
    if pick[0]["area_sqm"] < max(r["area_sqm"] for r in ok):
        return False, "a larger qualifying listing exists"
    return True, "largest qualifying listing held"
"""
)

# ------------------------------------------------------------------ level 4: three clients (write)

_S_TEAM = (
    _S_BRIEF
    + """

def _options(tools):
    out = []
    for name in {{CLIENTS}}:
        cl = tools.get_client(name=name)
        out.append((cl, [r for r in _fitting(tools, cl) if _near(tools, r["id"], "metro", {{RADIUS}})]))
    return out
"""
)
L4_SOLVE = (
    _S_TEAM
    + """

def solve(tools):
    opts = _options(tools)
    best = [None, None]

    def walk(i, chosen, total):
        if best[0] is not None and total >= best[0]:
            return
        if i == len(opts):
            best[0], best[1] = total, list(chosen)
            return
        for r in sorted(opts[i][1], key=lambda r: r["monthly_rent"]):
            if all(r["id"] != c["id"] and r["neighborhood"] != c["neighborhood"] for c in chosen):
                walk(i + 1, chosen + [r], total + r["monthly_rent"])

    walk(0, [], 0)
    for (cl, _), r in zip(opts, best[1]):
        tools.place_hold(listing_id=r["id"], client_id=cl["id"])
    return {"listing_ids": [r["id"] for r in best[1]]}
"""
)
L4_PERTURBED = (
    _S_TEAM
    + """

def solve(tools):
    # each client simply gets the cheapest listing still available: neighborhoods may repeat
    out = []
    for cl, rows in _options(tools):
        for r in sorted(rows, key=lambda r: (r["monthly_rent"], r["id"])):
            if r["id"] not in out:
                tools.place_hold(listing_id=r["id"], client_id=cl["id"])
                out.append(r["id"])
                break
    return {"listing_ids": out}
"""
)
L4_VERIFY = (
    V_PRELUDE
    + """

def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("listing_ids"), list):
        return False, "answer must be an object with a list 'listing_ids'"
    ids = answer["listing_ids"]
    if len(ids) != 3:
        return False, "three listing ids are expected"
    chosen = []
    for name, lid in zip({{CLIENTS}}, ids):
        cl = _client(db, name)
        holds = _holds(db, cl["id"])
        if len(holds) != 1 or holds[0]["listing_id"] != lid:
            return False, f"{name} must hold exactly the answered listing"
        lst = db.execute("SELECT * FROM listings WHERE id = ?", (lid,)).fetchone()
        if not _fits(cl, lst) or not _near(db, lst, "metro", {{RADIUS}}) or lst["status"] != "held":
            return False, f"listing {lid} does not meet {name}'s brief or the metro rule"
        chosen.append(lst)
    if len({c["neighborhood"] for c in chosen}) != 3:
        return False, "the three listings must be in three different neighborhoods"
    total = sum(c["monthly_rent"] for c in chosen)
    if total > {{BUDGET}}:
        return False, f"total rent {total} exceeds the budget"
    return True, f"three listings held for {total} a month"
"""
)

# ------------------------------------------------------------------ level 5: commute (toolset v2)

L5_SOLVE = (
    _S_BRIEF
    + """

def solve(tools):
    cl = tools.get_client(name={{CLIENT}})
    best = None
    for r in _fitting(tools, cl):
        m = tools.estimate_commute(listing_id=r["id"], client_id=cl["id"])["minutes"]
        key = (m, r["monthly_rent"], r["id"])
        if m <= {{MAX_MINUTES}} and (best is None or key < best[0]):
            best = (key, r)
    tools.place_hold(listing_id=best[1]["id"], client_id=cl["id"])
    return {"listing_id": best[1]["id"]}
"""
)
L5_PERTURBED = (
    _S_BRIEF
    + """

def solve(tools):
    # picks the cheapest listing of the brief and never estimates the commute
    cl = tools.get_client(name={{CLIENT}})
    best = min(_fitting(tools, cl), key=lambda r: (r["monthly_rent"], r["id"]))
    tools.place_hold(listing_id=best["id"], client_id=cl["id"])
    return {"listing_id": best["id"]}
"""
)
L5_VERIFY = (
    V_PRELUDE
    + """

def _minutes(cl, lst):
    return round(6 + {{MINUTES_PER_KM}}[cl["commute_mode"]] * _km(lst["lat"], lst["lon"], cl["work_lat"], cl["work_lon"]))


def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("listing_id"), int):
        return False, "answer must be an object with an integer 'listing_id'"
    cl = _client(db, {{CLIENT}})
    holds = _holds(db, cl["id"])
    if len(holds) != 1 or holds[0]["listing_id"] != answer["listing_id"]:
        return False, "the client must hold exactly the answered listing"
    ok = [(_minutes(cl, r), r["monthly_rent"], r) for r in _pool(db, [answer["listing_id"]])
          if _fits(cl, r) and _minutes(cl, r) <= {{MAX_MINUTES}}]
    pick = [o for o in ok if o[2]["id"] == answer["listing_id"]]
    if not pick or pick[0][2]["status"] != "held":
        return False, "the listing breaks the brief or the commute limit, or is not held"
    if pick[0][:2] > min(o[:2] for o in ok):
        return False, "another listing has a shorter commute (or the same commute for less rent)"
    return True, "shortest-commute listing held"
"""
)
