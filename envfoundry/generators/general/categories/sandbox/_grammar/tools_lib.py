"""The runtime of grammar-generated tools: reading, filtering, paging and writing one design.

Every grammar environment's tools module is this file (its parameters set to the design's
tables, columns, page size and error style) followed by the tool functions generated from
the design, which only call the functions below.
"""

import difflib

ITEM: dict = {}
GROUP: dict = {}
OWNER: dict = {}
RECORD: dict = {}
ERRORS: str = "plain"
PAGING: str = ""
PAGE_SIZE: int = 0
BATCH: int = 0


def _gerr(what, detail):
    """Raise the design's kind of error message (the policy reads it as an observation)."""
    if ERRORS == "coded":
        raise ValueError(f"{what.upper().replace(' ', '_')}: {detail}")
    if ERRORS == "sentence":
        raise ValueError(f"Sorry, {detail}.")
    raise ValueError(f"{what}: {detail}")


def _gint(value, what):
    if not isinstance(value, int) or isinstance(value, bool):
        _gerr("bad argument", f"{what} must be an integer")
    return value


def _grows(db, side):
    """Every row of one side as the tools show it: id, foreign key, attributes, capacity."""
    names = {}
    for canon, (table, _) in side.get("lookups", {}).items():
        names[canon] = {r[0]: r[1] for r in db.execute(f'SELECT id, name FROM "{table}"')}
    out = []
    for r in db.execute(f'SELECT * FROM "{side["table"]}" ORDER BY id'):
        row = {"id": r["id"]}
        if side.get("fk"):
            row[side["fk"]] = r[side["fk"]]
        for canon, col in side["cols"].items():
            row[side["show"][canon]] = r[col]
        for canon, (_, col) in side.get("lookups", {}).items():
            row[side["show"][canon]] = names[canon].get(r[col])
        if side.get("cap"):
            row[side["cap"]] = r[side["cap"]]
        out.append(row)
    return out


def _gtext(rows, key, value, what):
    """The stored text of ``key`` that ``value`` names, ignoring case; a near miss is an
    error naming the candidate, anything else is returned as given (it matches nothing)."""
    if not isinstance(value, str) or not value.strip():
        _gerr("bad argument", f"{what} must be a non-empty string")
    stored = sorted({r[key] for r in rows if isinstance(r.get(key), str)})
    want = value.strip().casefold()
    for s in stored:
        if s.casefold() == want:
            return s
    near = difflib.get_close_matches(want, [s.casefold() for s in stored], 2, 0.8)
    if near:
        names = [s for s in stored if s.casefold() in near]
        _gerr("not found", f"no {what} {value!r}; did you mean {' or '.join(map(repr, names))}?")
    return value


def _gfilter(db, side, conds):
    """The rows of ``side`` meeting every ``[key, op, value]`` whose value is given.

    A text value is named against the whole table, not the rows left by earlier filters: a
    value that exists elsewhere in the table matches nothing here instead of being reported
    as a near miss of a similar one that is left."""
    rows = table = _grows(db, side)
    for key, op, value in conds:
        if value is None:
            continue
        if op == "eq":
            value = _gtext(table, key, value, key.replace("_", " "))
            rows = [r for r in rows if r.get(key) == value]
        elif op == "id":
            _gint(value, key)
            rows = [r for r in rows if r.get(key) == value]
        else:
            if isinstance(value, bool) or not isinstance(value, int | float):
                _gerr("bad argument", f"{key} bounds must be numbers")
            if op == "ge":
                rows = [r for r in rows if r.get(key) is not None and r[key] >= value]
            else:
                rows = [r for r in rows if r.get(key) is not None and r[key] <= value]
    return rows


def _gpage(rows, start):
    """One page of ``rows``: by page number or by offset, as the design pages (or all)."""
    if PAGING == "page":
        page = _gint(start, "page")
        if page < 1:
            _gerr("bad argument", "page starts at 1")
        chunk = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        more = page * PAGE_SIZE < len(rows)
        return {"items": chunk, "next_page": page + 1 if more else None}
    if PAGING == "offset":
        offset = _gint(start, "offset")
        if offset < 0:
            _gerr("bad argument", "offset must be >= 0")
        return {"results": rows[offset : offset + PAGE_SIZE], "total": len(rows), "offset": offset}
    return rows


def _gproject(rows, keys):
    return [{k: r[k] for k in keys} for r in rows]


def _gone(db, side, key, what):
    _gint(key, f"{what}_id")
    for r in _grows(db, side):
        if r["id"] == key:
            return r
    return _gerr("not found", f"no {what} with id {key}")


def _gmany(db, side, keys, what):
    if not isinstance(keys, list) or not keys or len(keys) > BATCH:
        _gerr("bad argument", f"give a list of 1 to {BATCH} {what} ids")
    for k in keys:
        _gint(k, f"{what} id")
    rows = {r["id"]: r for r in _grows(db, side)}
    missing = [k for k in keys if k not in rows]
    if missing:
        _gerr("not found", f"no {what} with id {missing[0]}")
    return [rows[k] for k in keys]


def _gnamed(db, side, name, what):
    rows = _grows(db, side)
    label = side["show"][side["label"]]
    name = _gtext(rows, label, name, f"{what} name")
    for r in rows:
        if r[label] == name:
            return r
    return _gerr("not found", f"no {what} named {name!r}")


def _gconsume(db, item_id, owner_id):
    """The write: one unit of the item's capacity taken for the owner, recorded."""
    item = _gone(db, ITEM, item_id, ITEM["what"])
    _gone(db, OWNER, owner_id, OWNER["what"])
    cap = ITEM["cap"]
    if (item[cap] or 0) <= 0:
        _gerr("unavailable", f"{ITEM['what']} {item_id} has no {cap.replace('_', ' ')}")
    db.execute(f'UPDATE "{ITEM["table"]}" SET "{cap}" = "{cap}" - 1 WHERE id = ?', (item_id,))
    cur = db.execute(
        f'INSERT INTO "{RECORD["table"]}" ("{RECORD["item"]}", "{RECORD["owner"]}", status)'
        " VALUES (?, ?, 'active')",
        (item_id, owner_id),
    )
    return {RECORD["key"]: cur.lastrowid, RECORD["item"]: item_id, RECORD["owner"]: owner_id}


def _grelease(db, record_id):
    """Undo a write: the record cancelled, the unit given back."""
    _gint(record_id, RECORD["key"])
    row = db.execute(f'SELECT * FROM "{RECORD["table"]}" WHERE id = ?', (record_id,)).fetchone()
    if row is None or row["status"] != "active":
        _gerr("not found", f"no active {RECORD['what']} with id {record_id}")
    db.execute(f"UPDATE \"{RECORD['table']}\" SET status = 'cancelled' WHERE id = ?", (record_id,))
    cap = ITEM["cap"]
    db.execute(
        f'UPDATE "{ITEM["table"]}" SET "{cap}" = "{cap}" + 1 WHERE id = ?', (row[RECORD["item"]],)
    )
    return {RECORD["key"]: record_id, "status": "cancelled"}
