"""Verifier helpers: stock per warehouse, the episode's transfers judged as a diff of the
initial state (only the asked transfers, stock moved by exactly them), lanes, sets."""

from ..helpers import _count_changes, _unexpected_change


def _stock(db, sku):
    return {r["warehouse_id"]: r for r in db.execute("SELECT * FROM stock WHERE sku = ?", (sku,))}


def _transfers(changes, before, **where):
    """Why the episode changed more than transfers fitting ``where`` (columns of the new
    transfer rows) and the stock they move, or ""."""
    problem = _unexpected_change(
        changes,
        ("insert", "transfers", where),
        ("update", "stock", {"sku": where.get("sku", lambda s: True)}, ("qty",)),
    )
    if problem:
        return problem
    if not _count_changes(changes, "insert", "transfers"):
        return "no transfer was made"
    net: dict[tuple[int, str], int] = {}
    for c in changes:
        if c["table"] == "transfers":
            t = c["row"]
            net[(t["from_id"], t["sku"])] = net.get((t["from_id"], t["sku"]), 0) - t["qty"]
            net[(t["to_id"], t["sku"])] = net.get((t["to_id"], t["sku"]), 0) + t["qty"]
    for c in changes:
        if c["table"] == "stock":
            old, new = c["set"]["qty"]
            if new - old != net.pop((c["key"]["warehouse_id"], c["key"]["sku"]), 0):
                return "stock does not add up with the transfers"
    if any(net.values()):
        return "stock does not add up with the transfers"
    return ""


def _new_transfers(db, before):
    """The transfer rows the episode added, by id."""
    old = {r["id"] for r in before.execute("SELECT id FROM transfers")}
    return [r for r in db.execute("SELECT * FROM transfers ORDER BY id") if r["id"] not in old]


def _lanes(db, to_id):
    return {r["from_id"]: r for r in db.execute("SELECT * FROM lanes WHERE to_id = ?", (to_id,))}


def _wh_id(db, code):
    return db.execute("SELECT id FROM warehouses WHERE code = ?", (code,)).fetchone()["id"]


def _cost_within(moves, budget, reason):
    cost = sum(t["total_cost"] for t in moves)
    if cost > budget + 1e-6:
        return False, f"total cost {cost:.2f} exceeds the budget"
    return True, f"{reason} for {cost:.2f}"


def _same(answer, key, want, kind):
    """Why the answer's list ``key`` (items of ``kind``) is not exactly ``want`` in any order
    (no duplicates, nothing missing or extra), or ``""``."""
    got = answer.get(key) if isinstance(answer, dict) else None
    if not isinstance(got, list) or not all(type(x) is kind for x in got):
        return f"the answer needs {key!r}: a list of {kind.__name__}"
    if len(set(got)) != len(got):
        return f"{key} lists an item twice"
    if sorted(got) != sorted(want):
        return f"{key} is not exactly the right set"
    return ""
