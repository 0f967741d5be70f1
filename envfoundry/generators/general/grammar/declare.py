"""Declarations as data: a category's declaration (``model.py``) with its rows as JSON, the
JSON Schema of that JSON (derived from ``model.py``'s dataclasses), the engine's checks of a
declaration, and the folder where accepted ones are stored so later runs use them by name.

A model proposes a category as this JSON (``llm.propose_category``); so can a person. The
checks are those of ``model.py`` (its ``__post_init__``), the names the generated code uses
(identifiers, none reserved), the rows (values of the declared kinds, unique labels, enough
groups with enough items for a ladder), and last whether the engine finds a sound ladder on a
few environments of it (the reason when not).
"""

from __future__ import annotations

import dataclasses
import json
import keyword
import random
import re
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from envfoundry.generators.general.grammar.category import GrammarCatalog
from envfoundry.generators.general.grammar.model import (
    Attr,
    Entity,
    GrammarCategory,
    Rows,
)

IDENT = r"^[a-z][a-z0-9_]{0,39}$"
# free text (prompts and docstrings); every other string names a table, column or tool
PROSE = frozenset({"description", "phrase", "unit", "capacity_phrase"})
# keys the engine gives rows beside their attributes (see model.GrammarCategory)
RESERVED = frozenset({"id", "group", "capacity"})
MIN_GROUPS = 4  # groups in a declaration
MIN_BIG_GROUPS = 3  # groups with at least BIG items (a ladder samples two, joins more)
BIG = 5
MIN_OWNERS = 3
MAX_ROWS = {"group": 60, "item": 600, "owner": 60}
SOUND_WORLDS = 3  # environments a declaration must give a sound ladder on
SOUND_ATTEMPTS = 15  # draws per environment


class DeclarationError(ValueError):
    """The declaration breaks the contract; the message says where and why."""


# ------------------------------------------------------------------ the JSON Schema


def _schema_of(hint: Any, field: str) -> dict[str, Any]:
    origin = typing.get_origin(hint)
    if hint is str:
        if field in PROSE:
            return {"type": "string", "maxLength": 200}
        return {"type": "string", "pattern": IDENT}
    if hint is bool:
        return {"type": "boolean"}
    if origin is Literal:
        return {"enum": list(typing.get_args(hint))}
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": _schema_of(args[0], field), "minItems": 1}
        return {
            "type": "array",
            "items": _schema_of(args[0], field),
            "minItems": len(args),
            "maxItems": len(args),
        }
    if dataclasses.is_dataclass(hint):
        return _object_schema(hint)  # type: ignore[arg-type]
    raise TypeError(f"{field}: no JSON Schema for {hint!r}")


def _object_schema(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    props: dict[str, Any] = {}
    required = []
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        if typing.get_origin(hint) is Callable:  # GrammarCategory.rows: data in the JSON
            continue
        props[f.name] = _schema_of(hint, f.name)
        no_default = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if no_default:
            required.append(f.name)
    return {
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": False,
    }


def _rows_schema() -> dict[str, Any]:
    value = {"type": ["string", "number", "null"]}
    row = {"type": "object", "additionalProperties": value}
    item = {
        "type": "object",
        "properties": {
            "group": {"type": "integer", "minimum": 0},
            "capacity": {"type": "integer", "minimum": 0, "maximum": 1000},
        },
        "required": ["group", "capacity"],
        "additionalProperties": value,
    }
    return {
        "type": "object",
        "properties": {
            "group": {"type": "array", "items": row, "maxItems": MAX_ROWS["group"]},
            "item": {"type": "array", "items": item, "maxItems": MAX_ROWS["item"]},
            "owner": {"type": "array", "items": row, "maxItems": MAX_ROWS["owner"]},
        },
        "required": ["group", "item", "owner"],
        "additionalProperties": False,
    }


def declaration_schema() -> dict[str, Any]:
    """The JSON Schema of a declaration: ``GrammarCategory``'s fields (its dataclasses'
    fields, recursively; ``rows`` is data here, not a function)."""
    schema = _object_schema(GrammarCategory)
    schema["properties"]["rows"] = _rows_schema()
    schema["required"] = [*schema["required"], "rows"]
    return schema


# ------------------------------------------------------------------ JSON -> declaration


def _build(cls: type, value: dict[str, Any]) -> Any:
    """``cls`` from its JSON (tuples from lists, nested dataclasses); model checks run."""
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name not in value:
            continue
        kwargs[f.name] = _value(hints[f.name], value[f.name])
    return cls(**kwargs)


def _value(hint: Any, value: Any) -> Any:
    if typing.get_origin(hint) is tuple:
        args = typing.get_args(hint)
        inner = args[0]
        return tuple(_value(inner, v) for v in value)
    if dataclasses.is_dataclass(hint):
        return _build(hint, value)  # type: ignore[arg-type]
    return value


def _names(decl: GrammarCategory) -> list[tuple[str, str]]:
    """Every (where, name) that becomes an identifier in generated code or SQL."""
    out = [("name", decl.name)]
    for role in ("group", "item", "owner"):
        entity: Entity = getattr(decl, role)
        out += [(f"{role}.names", n) for pair in entity.names for n in pair]
        for a in entity.attrs:
            out.append((f"{role}.attrs", a.name))
            out += [(f"{role}.{a.name}.columns", c) for c in a.columns]
    w = decl.write
    out += [("write.verbs", v) for v in w.verbs] + [("write.capacity", c) for c in w.capacity]
    out += [("write.record", n) for pair in w.record for n in pair]
    out += [("write.undo_verbs", v) for v in w.undo_verbs]
    return out


def _fits(attr: Attr, value: Any) -> bool:
    if attr.kind == "text":
        return isinstance(value, str) and bool(value.strip())
    if isinstance(value, bool):
        return False
    return isinstance(value, int) if attr.kind == "int" else isinstance(value, int | float)


def _check_rows(decl: GrammarCategory, rows: Rows) -> None:
    for role in ("group", "item", "owner"):
        entity: Entity = getattr(decl, role)
        known = {a.name for a in entity.attrs}
        labels: set[str] = set()
        for k, row in enumerate(rows[role]):
            where = f"rows.{role}[{k}]"
            extra = set(row) - known - (RESERVED if role == "item" else set())
            if extra:
                raise DeclarationError(f"{where}: unknown attribute(s) {sorted(extra)}")
            for a in entity.attrs:
                value = row.get(a.name)
                if value is None:
                    if not a.optional:
                        raise DeclarationError(f"{where}: {a.name} is required")
                elif not _fits(a, value):
                    raise DeclarationError(f"{where}: {a.name}={value!r} is not {a.kind}")
            label = str(row[entity.label]).strip().casefold()
            if label in labels:
                raise DeclarationError(f"{where}: {entity.label} {row[entity.label]!r} repeats")
            labels.add(label)
    groups = len(rows["group"])
    per_group = [0] * groups
    for k, item in enumerate(rows["item"]):
        if not 0 <= item["group"] < groups:
            raise DeclarationError(f"rows.item[{k}]: group {item['group']} is no group's index")
        per_group[item["group"]] += 1
    big = sum(1 for n in per_group if n >= BIG)
    if groups < MIN_GROUPS or big < MIN_BIG_GROUPS:
        raise DeclarationError(
            f"a ladder needs at least {MIN_GROUPS} groups, {MIN_BIG_GROUPS} of them with "
            f"{BIG} or more items; got {groups} groups, {big} with {BIG}+"
        )
    if len(rows["owner"]) < MIN_OWNERS:
        raise DeclarationError(f"at least {MIN_OWNERS} owners are needed")
    for role in ("group", "item"):
        entity = getattr(decl, role)
        for a in entity.attrs:
            if a.categorical or a.rank:
                values = {r.get(a.name) for r in rows[role]} - {None}
                if len(values) < 2:
                    raise DeclarationError(f"{role}.{a.name}: one value only, it filters nothing")


def _check_names(decl: GrammarCategory) -> None:
    for where, name in _names(decl):
        if not re.match(IDENT, name) or keyword.iskeyword(name):
            raise DeclarationError(f"{where}: {name!r} is not a lower-case identifier")
    for role in ("group", "item", "owner"):
        entity: Entity = getattr(decl, role)
        for a in entity.attrs:
            if a.name in RESERVED or a.name.startswith("_"):
                raise DeclarationError(f"{role}.attrs: {a.name!r} is reserved")
        if len({a.name for a in entity.attrs}) != len(entity.attrs):
            raise DeclarationError(f"{role}.attrs: two attributes of one name")
    ranks = [a for a in decl.item.attrs if a.rank and not a.optional]
    if len(ranks) < 2:
        raise DeclarationError("item: tasks rank and add up: two required rank attributes needed")
    joins = [
        a for a in decl.group.attrs if (a.rank or a.categorical) and a.name != decl.group.label
    ]
    if not joins:
        raise DeclarationError("group: a join needs a categorical or rank attribute")


def _fixed_rows(data: Rows) -> Callable[[random.Random], Rows]:
    """The declaration's ``rows(rng)``: a seeded subset of its groups (with their items) and
    every owner, so two environments of it differ in data too."""

    def rows(rng: random.Random) -> Rows:
        n = len(data["group"])
        keep = sorted(rng.sample(range(n), max(min(n, MIN_GROUPS), round(n * 0.8))))
        index = {g: k for k, g in enumerate(keep)}
        return {
            "group": [dict(data["group"][g]) for g in keep],
            "item": [
                {**r, "group": index[r["group"]]} for r in data["item"] if r["group"] in index
            ],
            "owner": [dict(o) for o in data["owner"]],
        }

    return rows


def declaration_of(value: dict[str, Any]) -> GrammarCategory:
    """The declaration a schema-valid JSON describes, checked (not yet for soundness);
    DeclarationError with the reason otherwise."""
    body = {k: v for k, v in value.items() if k != "rows"}
    try:
        decl: GrammarCategory = _build(
            GrammarCategory, {**body, "rows": _fixed_rows(value["rows"])}
        )
    except (TypeError, ValueError, KeyError) as exc:
        raise DeclarationError(f"the declaration is not coherent: {exc}") from None
    _check_names(decl)
    _check_rows(decl, value["rows"])
    return decl


def check_sound(decl: GrammarCategory) -> GrammarCatalog:
    """The catalog of ``decl`` when the engine finds a sound ladder on each of its first
    environments; DeclarationError with the engine's reason otherwise."""
    catalog = GrammarCatalog(decl, attempts=SOUND_ATTEMPTS)
    for index in range(SOUND_WORLDS):
        try:
            catalog.build(0, index)
        except RuntimeError as exc:
            raise DeclarationError(f"unsound: environment {index}: {exc}") from None
    return catalog


# ------------------------------------------------------------------ storage


def folder(data_dir: Path) -> Path:
    """Where accepted declarations live: ``<data dir>/categories/<name>.json``."""
    return data_dir / "categories"


def store(data_dir: Path, value: dict[str, Any], provenance: dict[str, Any]) -> Path:
    """Keep an accepted declaration (with its rows) for later runs; returns its file."""
    path = folder(data_dir) / f"{value['name']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"declaration": value, "provenance": provenance}, indent=1))
    tmp.replace(path)
    return path


def stored_names(data_dir: Path) -> list[str]:
    return sorted(p.stem for p in folder(data_dir).glob("*.json"))


def load(data_dir: Path, name: str) -> GrammarCatalog | None:
    """The stored category ``name`` (None when there is none), checked again on load."""
    if not re.match(IDENT, name):
        return None
    path = folder(data_dir) / f"{name}.json"
    if not path.is_file():
        return None
    value = json.loads(path.read_text())["declaration"]
    return GrammarCatalog(declaration_of(value))
