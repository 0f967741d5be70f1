

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
