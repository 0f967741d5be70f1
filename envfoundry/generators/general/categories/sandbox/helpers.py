"""Helpers shared by every category's in-sandbox tools and verifiers.

The kit puts this file in front of each tools module or verifier that imports from it
(``from ..helpers import _is_int``): the rendered source stays one self-contained module.
"""

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
    row = db.execute(f"SELECT * FROM {table} WHERE name = ?", (_text_arg(name, "name"),)).fetchone()
    if row is None:
        raise ValueError(f"no {what} named {name!r}")
    return dict(row)


def _dicts(db, sql, args=()):
    return [dict(r) for r in db.execute(sql, args)]


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
