"""Helpers shared by every category's in-sandbox tools and verifiers.

The kit puts this file in front of each tools module or verifier that imports from it
(``from ..helpers import _is_int``): the rendered source stays one self-contained module.
"""

import difflib
import re


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_int_list(value, n=None):
    if not isinstance(value, list) or not all(_is_int(v) for v in value):
        return False
    return n is None or len(value) == n


def _int_arg(value, what):
    """``value`` when it is an integer (not a bool); else a ValueError naming ``what``."""
    if not _is_int(value):
        raise ValueError(f"{what} must be an integer")
    return value


def _text_arg(value, what):
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a non-empty string")
    return value


def _date_arg(value, what):
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"{what} must be YYYY-MM-DD, got {value!r}")
    return value


def _canon(db, table, column, value, what=None):
    """The stored ``table.column`` value that ``value`` names, ignoring case and outer
    spaces: a text filter matches as a person would mean it. ``value`` itself when nothing
    matches; a ValueError naming the near miss when a stored value is close (a typo would
    otherwise return ``[]`` silently). ``None`` stays ``None``."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{what or column} must be a string")
    want = value.strip()
    stored = _column(db, f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL")
    texts = [s for s in stored if isinstance(s, str)]
    if want in texts:
        return want
    folded = [s for s in texts if s.casefold() == want.casefold()]
    if folded:
        return folded[0]
    near = difflib.get_close_matches(want.casefold(), [s.casefold() for s in texts], 3, 0.8)
    if near:
        names = [next(s for s in texts if s.casefold() == n) for n in near]
        raise ValueError(
            f"no {what or column} {value!r}; did you mean {' or '.join(map(repr, names))}?"
        )
    return value


def _by_id(db, table, key, what):
    """The row of ``table`` whose id is ``key`` (the tool argument ``what``)."""
    row = db.execute(f"SELECT * FROM {table} WHERE id = ?", (_int_arg(key, what),)).fetchone()
    if row is None:
        raise ValueError(f"no {what.removesuffix('_id')} with id {key}")
    return row


def _active_row(db, table, key, what):
    """The row of ``table`` whose id is ``key``, when its status is 'active'."""
    row = _by_id(db, table, key, what)
    if row["status"] != "active":
        raise ValueError(f"{what.removesuffix('_id')} {key} is {row['status']}")
    return row


def _named(db, table, name, what):
    """The row of ``table`` whose name is exactly ``name``, as a dict."""
    name = _canon(db, table, "name", _text_arg(name, "name"), what)
    row = db.execute(f"SELECT * FROM {table} WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise ValueError(f"no {what} named {name!r}")
    return dict(row)


def _dicts(db, sql, args=()):
    return [dict(r) for r in db.execute(sql, args)]


def _rows_of(db, sql, table, key, what):
    """The rows ``sql`` selects for ``key``, once ``key`` is an id of ``table`` (``what``)."""
    _by_id(db, table, key, what)
    return _dicts(db, sql, (key,))


def _by_id_with(db, table, key, what, **children):
    """The row ``key`` of ``table`` as a dict, with the rows of each ``children`` query
    (whose one parameter is ``key``) under its name."""
    out = dict(_by_id(db, table, key, what))
    for name, sql in children.items():
        out[name] = _dicts(db, sql, (key,))
    return out


def _column(db, sql, args=()):
    """The first column of the rows ``sql`` selects."""
    return [r[0] for r in db.execute(sql, args)]


def _known(db, table, column, value):
    """Whether ``value`` is a string found in ``table.column``."""
    if not isinstance(value, str):
        return False
    return db.execute(f"SELECT 1 FROM {table} WHERE {column} = ?", (value,)).fetchone() is not None


def _insert(db, table, **values):
    """Insert one row of ``values``; its id."""
    marks = ", ".join("?" * len(values))
    sql = f"INSERT INTO {table} ({', '.join(values)}) VALUES ({marks})"
    return db.execute(sql, tuple(values.values())).lastrowid


def _today(db):
    return db.execute("SELECT value FROM settings WHERE key = 'today'").fetchone()[0]


def _the_one(new, answer, key):
    """The only row of ``new`` when the answer names it by the integer ``key``, else None."""
    if len(new) != 1 or not isinstance(answer, dict) or not _is_int(answer.get(key)):
        return None
    return new[0] if new[0]["id"] == answer[key] else None


def _the_rows(new, answer, key, n=None):
    """The rows of ``new`` in the answer's order when its integer list ``key`` names exactly
    them (``n`` of them), else None."""
    if not isinstance(answer, dict) or not _is_int_list(answer.get(key), n):
        return None
    by_id = {r["id"]: r for r in new}
    if sorted(by_id) != sorted(answer[key]):
        return None
    return [by_id[i] for i in answer[key]]


_KINDS = {
    "int": ("an integer", _is_int),
    "ints": ("a list of integers", _is_int_list),
    "list": ("a list", lambda v: isinstance(v, list)),
    "str": ("a string", lambda v: isinstance(v, str)),
    "number": ("a number", lambda v: isinstance(v, int | float) and not isinstance(v, bool)),
}


def _malformed(answer, **fields):
    """Why ``answer`` is not an object with these fields of these kinds, or ``""``."""
    if not isinstance(answer, dict):
        return "the answer must be a JSON object"
    for key, kind in fields.items():
        what, ok = _KINDS[kind]
        if not ok(answer.get(key)):
            return f"the answer needs {key!r}: {what}"
    return ""


def _ids(answer, key, n=None):
    """The answer's list of integers ``key`` (of ``n`` items), or None."""
    value = answer.get(key) if isinstance(answer, dict) else None
    return value if _is_int_list(value, n) else None


def _within(total, budget, done):
    """The verdict on a plan that costs ``total``: ``done`` when that is within ``budget``."""
    if total > budget:
        return False, f"the total {total} exceeds the budget of {budget}"
    return True, f"{done} for {total}"


def _each(answer, key, names, pick):
    """One row per name: ``pick(name, id)`` with the name's id from the answer's list ``key``
    gives ``(row, problem)``. Returns the rows and ``""``, or None and why not."""
    ids = _ids(answer, key, len(names))
    if ids is None:
        return None, f"{key} must list {len(names)} ids, one per person in order"
    rows = []
    for name, i in zip(names, ids, strict=True):
        row, problem = pick(name, i)
        if row is None:
            return None, f"{name}: {problem}"
        rows.append(row)
    return rows, ""


def _listed(answer, **expected):
    """Why the answer's lists are not exactly the ``expected`` ones (in any order), or ``""``."""
    if not isinstance(answer, dict):
        return "the answer must be a JSON object"
    for key, want in expected.items():
        got = answer.get(key)
        kinds = {type(x) for x in want} or {int}
        if not isinstance(got, list) or any(type(x) not in kinds for x in got):
            return f"the answer needs {key!r}: a list"
        if sorted(got) != sorted(want):
            return f"{key} must be {sorted(want)}"
    return ""


def _verdict(problem, reason):
    """(False, problem) when there is one, else (True, reason)."""
    return (False, problem) if problem else (True, reason)


def _exact(answer, key, want, reason, kind="list"):
    """The verdict on an answer whose ``key`` (of ``kind``) must be exactly ``want``."""
    problem = _malformed(answer, **{key: kind})
    if problem:
        return False, problem
    if answer[key] != want:
        return False, f"expected {want}, got {answer[key]}"
    return True, reason


def _names_row(answer, row, columns):
    """Whether the answer names ``row``: each answer key equals (same type) its column."""
    return all(
        type(answer.get(k)) is type(row[c]) and answer.get(k) == row[c] for k, c in columns.items()
    )


def _lowest(rows, field, what, answer, **columns):
    """The verdict on the row the answer names (answer key -> row column in ``columns``):
    it must be one of ``rows``, with the lowest ``field``."""
    if not isinstance(answer, dict):
        return False, "the answer must be a JSON object"
    pick = [r for r in rows if _names_row(answer, r, columns)]
    if not pick:
        return False, f"not a qualifying {what}"
    if pick[0][field] > min(r[field] for r in rows):
        return False, f"a qualifying {what} has a lower {field}"
    return True, f"the qualifying {what} with the lowest {field}"


# ---------------------------------------------------------------- judging the diff of writes
#
# A verifier written as ``verify(answer, db, before, changes)`` gets, besides the final
# state ``db``, the initial state ``before`` (read-only) and ``changes``: the episode's
# net changes as the runner computed them (``{"op": "insert", "table", "row"}``,
# ``{"op": "update", "table", "key", "set": {col: [old, new]}}``,
# ``{"op": "delete", "table", "key" | "row"}``; new rows have no surrogate id, undone
# writes are left out). Judge "best / earliest / cheapest" on ``before``, and use
# :func:`_unexpected_change` so that nothing but the task's writes happened.


def _describe_change(change):
    """One change in words, naming the row: for reasons a person reads."""
    op, table = change.get("op"), change.get("table")
    if op == "insert":
        cols = ", ".join(f"{k}={v!r}" for k, v in sorted(change["row"].items()))
        return f"insert into {table} ({cols})"
    key = change.get("key") or change.get("row") or {}
    where = ", ".join(f"{k}={v!r}" for k, v in sorted(key.items()))
    if op == "update":
        sets = ", ".join(f"{k} {a!r} -> {b!r}" for k, (a, b) in sorted(change["set"].items()))
        return f"update {table} [{where}]: {sets}"
    return f"delete from {table} [{where}]"


def _change_fits(value, want):
    if callable(want):
        return bool(want(value))
    if isinstance(want, set | frozenset | tuple | list):
        return value in want
    return value == want


def _change_matches(change, pattern):
    op, table, where = pattern[0], pattern[1], pattern[2] if len(pattern) > 2 else {}
    if change.get("op") != op or change.get("table") != table:
        return False
    if op == "insert":
        row = change["row"]
        return all(_change_fits(row.get(k), v) for k, v in where.items())
    key = change.get("key") or change.get("row") or {}
    if not all(_change_fits(key.get(k), v) for k, v in where.items()):
        return False
    if op == "update" and len(pattern) > 3:
        return set(change["set"]) <= set(pattern[3])
    return True


def _unexpected_change(changes, *allowed):
    """None when every change fits one of the ``allowed`` patterns; else a reason that names
    the first change that does not (a collateral write, a write the task did not ask for).

    A pattern is ``(op, table, {column: wanted})`` — ``wanted`` a value, a set of values or
    a predicate; for inserts the columns are the new row's, for updates and deletes the
    row key's — and for updates optionally a fourth item, the columns that may change.
    """
    if not isinstance(changes, list):
        return "the verifier got no list of changes"
    for change in changes:
        if not any(_change_matches(change, p) for p in allowed):
            return "unexpected change: " + _describe_change(change)
    return None


def _count_changes(changes, op, table, **where):
    """How many changes fit ``(op, table, where)``."""
    return sum(1 for c in changes if _change_matches(c, (op, table, where)))
