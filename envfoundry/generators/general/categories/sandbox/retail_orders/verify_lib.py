"""Verifier helpers: the episode's writes (new orders, returns, cancellations) judged as a
diff of the initial state, and the stock moves they must add up to."""

from ..helpers import _dicts, _is_int_list, _the_one, _unexpected_change


def _customer_id(before, name):
    return before.execute("SELECT id FROM customers WHERE name = ?", (name,)).fetchone()["id"]


def _new_order_token(value):
    # an order line's order_id in the diff: a token when it points to a new order
    return isinstance(value, str) and value.startswith("new orders ")


def _placed(cid):
    """Patterns of one new order for customer ``cid``: the order row and its lines."""
    return (
        ("insert", "orders", {"customer_id": cid, "status": "processing"}),
        ("insert", "order_items", {"order_id": _new_order_token}),
    )


def _stock_moves(changes, before):
    """sku -> the stock change the episode's orders, returns and cancellations imply."""
    delta: dict[str, int] = {}
    for c in changes:
        if c["op"] == "insert" and c["table"] == "order_items":
            delta[c["row"]["sku"]] = delta.get(c["row"]["sku"], 0) - c["row"]["quantity"]
        elif c["op"] == "insert" and c["table"] == "returns":
            delta[c["row"]["sku"]] = delta.get(c["row"]["sku"], 0) + c["row"]["quantity"]
        elif c["op"] == "update" and c["set"].get("status") == ["processing", "cancelled"]:
            for i in before.execute(
                "SELECT sku, quantity FROM order_items WHERE order_id = ?", (c["key"]["id"],)
            ):
                delta[i["sku"]] = delta.get(i["sku"], 0) + i["quantity"]
    return {s: d for s, d in delta.items() if d}


def _writes(changes, before, *allowed):
    """Why the episode changed more than the ``allowed`` patterns and the stock they move,
    or ""."""
    moves = _stock_moves(changes, before) if isinstance(changes, list) else {}
    stock = ("update", "products", {"sku": set(moves)}, ("stock",))
    problem = _unexpected_change(changes, *allowed, stock)
    if problem:
        return problem
    for c in changes:
        if c["op"] == "update" and c["table"] == "products":
            old, new = c["set"]["stock"]
            if new - old != moves[c["key"]["sku"]]:
                return f"the stock of {c['key']['sku']} does not match the orders"
    changed = {c["key"]["sku"] for c in changes if c["table"] == "products"}
    if changed != set(moves):
        return "stock levels do not match the orders"
    return ""


def _new_rows(db, before, table):
    old = {r["id"] for r in before.execute(f"SELECT id FROM {table}")}
    return [r for r in _dicts(db, f"SELECT * FROM {table} ORDER BY id") if r["id"] not in old]


def _new_order(db, before, answer, key):
    """The one order placed during the episode and still processing (orders placed and
    cancelled again do not count), when the answer names it."""
    new = [o for o in _new_rows(db, before, "orders") if o["status"] == "processing"]
    return _the_one(new, answer, key)


def _items(db, before, order_id):
    """The order's lines (from ``db``) with their product as it was initially."""
    out = []
    for i in db.execute("SELECT * FROM order_items WHERE order_id = ? ORDER BY sku", (order_id,)):
        p = before.execute("SELECT * FROM products WHERE sku = ?", (i["sku"],)).fetchone()
        out.append({**dict(i), **{k: p[k] for k in ("category", "rating", "price", "stock")},
                    "pstatus": p["status"]})  # fmt: skip
    return out


def _same_ids(answer, key, want):
    """Why the answer's integer list ``key`` is not exactly ``want`` in any order (no
    duplicates, nothing missing or extra), or ``""``."""
    got = answer.get(key) if isinstance(answer, dict) else None
    if not isinstance(got, list) or not _is_int_list(got):
        return f"the answer needs {key!r}: a list of integers"
    if len(set(got)) != len(got):
        return f"{key} lists an id twice"
    if sorted(got) != sorted(want):
        return f"{key} is not exactly the right set of ids"
    return ""
