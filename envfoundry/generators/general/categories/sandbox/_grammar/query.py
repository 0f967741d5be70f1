"""The meaning of a grammar task's composition, evaluated on a database.

The verifier of every grammar task renders this file (with its ``SPEC``), and the generator
imports it to compute the expected answer of the task it composes: both read the task the
same way, so the verifier and the reference cannot drift apart. Stdlib only; ``db`` is a
``sqlite3.Connection`` with ``row_factory = sqlite3.Row``.

A side of the spec (``item`` or ``group``) says how the design stores an entity: its table,
``cols`` (canonical attribute -> column), ``lookups`` (canonical attribute -> [lookup table,
foreign-key column]; the lookup table has ``id`` and ``name``), and for items ``fk`` (the
group column) and ``cap`` (the capacity a write consumes).
"""


def _side_rows(db, side):
    """The rows of one side as canonical dicts (``id``, attributes, ``_group``, ``_cap``)."""
    names = {}
    for canon, (table, _) in side.get("lookups", {}).items():
        names[canon] = {r[0]: r[1] for r in db.execute(f'SELECT id, name FROM "{table}"')}
    out = []
    for r in db.execute(f'SELECT * FROM "{side["table"]}" ORDER BY id'):
        row = {"id": r["id"]}
        for canon, col in side["cols"].items():
            row[canon] = r[col]
        for canon, (_, col) in side.get("lookups", {}).items():
            row[canon] = names[canon].get(r[col])
        if side.get("fk"):
            row["_group"] = r[side["fk"]]
        if side.get("cap"):
            row["_cap"] = r[side["cap"]]
        out.append(row)
    return out


def _holds(row, cond):
    """Whether ``row`` meets ``[attribute, op, value]`` (text compares ignoring case; a row
    without the attribute meets no condition on it, ``ne`` included)."""
    attr, op, value = cond
    v = row.get(attr)
    if v is None:
        return False
    if op == "eq":
        return str(v).casefold() == str(value).casefold()
    if op == "ne":
        return str(v).casefold() != str(value).casefold()
    if op == "between":
        low, high = value
        return low <= v <= high
    if op == "ge":
        return v >= value
    if op == "le":
        return v <= value
    raise ValueError(f"unknown operator {op!r}")


def _groups_in_scope(db, spec):
    scope = spec["scope"]
    groups = _side_rows(db, spec["group"])
    # named groups, the groups meeting conditions (a join), or the union of both
    wanted = {n.casefold() for n in scope.get("names", [])}
    where = scope.get("where")
    return [
        g["id"]
        for g in groups
        if str(g[spec["group"]["label"]]).casefold() in wanted
        or (where is not None and all(_holds(g, c) for c in where))
    ]


def _candidates(db, spec):
    """The items the composition ranges over: in scope, meeting every condition, and (for a
    write) meeting the write's precondition."""
    scope = set(_groups_in_scope(db, spec))
    rows = [
        r
        for r in _side_rows(db, spec["item"])
        if r["_group"] in scope and all(_holds(r, c) for c in spec["where"])
    ]
    if spec.get("write"):
        rows = [r for r in rows if (r["_cap"] or 0) > 0]
    return rows


def _ranked(rows, attr, descending):
    """``rows`` by ``attr`` (highest first when ``descending``); ties by id for a stable order."""
    if descending:
        return sorted(rows, key=lambda r: (-r[attr], r["id"]))
    return sorted(rows, key=lambda r: (r[attr], r["id"]))


def _number(value):
    return round(value, 2) if isinstance(value, float) else value


def _expected(db, spec):
    """The answer the composition asks for, as a dict of the answer's fields."""
    rows = _candidates(db, spec)
    goal, keys = spec["goal"], spec["keys"]
    kind, attr = goal["kind"], goal.get("attr")
    if kind == "list":
        return {keys["ids"]: sorted(r["id"] for r in rows)}
    if kind == "count":
        return {keys["value"]: len(rows)}
    if kind in ("sum", "max", "min"):
        values = [r[attr] for r in rows]
        if not values:
            return {keys["value"]: None}
        if kind == "sum":
            return {keys["value"]: _number(sum(values))}
        return {keys["value"]: _number(max(values) if kind == "max" else min(values))}
    ranked = _ranked(rows, attr, goal["descending"])
    if kind == "best":
        return {keys["id"]: ranked[0]["id"] if ranked else None}
    top = ranked[: goal["k"]]
    out = {keys["ids"]: [r["id"] for r in top]}
    if goal.get("total"):
        out[keys["value"]] = _number(sum(r[goal["total"]] for r in top))
    return out
