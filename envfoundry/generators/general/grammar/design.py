"""Seeded environment designs: how one environment of a grammar category stores its data and
what tools it offers.

A design picks, from the category's declaration: table and column names among synonyms,
which categorical attributes live in a lookup table (normalised) or inline, which optional
attributes exist; and the toolset's shape — one search tool with filters, or list + get, or
list + batch get; pages by number, by offset or none; the tools' and arguments' names; the
style of error messages; the write tool's name and whether an undo tool exists. Two
environments of a category thus differ in schema and tools, not only in data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from envfoundry.generators.general.grammar.model import Entity, GrammarCategory

SHAPES = ("search", "list_get", "list_batch")
PAGING = ("", "page", "offset")
ERRORS = ("plain", "coded", "sentence")
RANGE_STYLES = (
    ("min_{}", "max_{}"),
    ("{}_min", "{}_max"),
    ("{}_at_least", "{}_at_most"),
    ("{}_from", "{}_to"),
)


@dataclass(frozen=True)
class Side:
    """How a design stores and shows one entity."""

    what: str  # singular
    plural: str
    table: str
    attrs: tuple[str, ...]  # canonical attributes this design has
    cols: dict[str, str]  # inline attribute -> column
    lookups: dict[str, tuple[str, str]]  # normalised attribute -> (lookup table, fk column)
    show: dict[str, str]  # attribute -> the key tools show it under
    label: str
    fk: str = ""
    cap: str = ""

    def spec(self) -> dict[str, Any]:
        """The side as the sandbox code reads it (``query.py``, ``tools_lib.py``)."""
        out: dict[str, Any] = {
            "what": self.what,
            "table": self.table,
            "cols": dict(self.cols),
            "lookups": {k: list(v) for k, v in self.lookups.items()},
            "show": dict(self.show),
            "label": self.label,
        }
        if self.fk:
            out["fk"] = self.fk
        if self.cap:
            out["cap"] = self.cap
        return out


@dataclass(frozen=True)
class Design:
    """One environment design of a grammar category (see the module docstring)."""

    group: Side
    item: Side
    owner: Side
    record_table: str
    record_what: str
    record_item: str
    record_owner: str
    record_key: str
    shape: str
    paging: str
    page_size: int
    batch: int
    errors: str
    range_args: tuple[str, str]
    item_filters: tuple[str, ...]  # attributes the item search tool filters on
    group_filters: tuple[str, ...]  # categorical group attributes list_groups filters on
    group_find: bool  # a find-group-by-name tool exists
    names: dict[str, str]  # tool role -> tool name
    undo: bool

    def key(self) -> dict[str, Any]:
        """What distinguishes this design from another (stored as provenance)."""
        return {
            "tables": [self.group.table, self.item.table, self.owner.table, self.record_table],
            "normalised": sorted([*self.group.lookups, *self.item.lookups]),
            "attrs": [list(self.group.attrs), list(self.item.attrs)],
            "shape": self.shape,
            "paging": self.paging,
            "errors": self.errors,
            "tools": dict(sorted(self.names.items())),
            "undo": self.undo,
        }

    def range_arg(self, attr: str, op: str) -> str:
        low, high = self.range_args
        return (low if op == "ge" else high).format(self.item.show[attr])


def _side(
    rng: random.Random,
    entity: Entity,
    normalise: float,
    taken: set[str],
    fk: str = "",
    cap: str = "",
) -> Side:
    what, plural = rng.choice(entity.names)
    attrs = tuple(a.name for a in entity.attrs if not a.optional or rng.random() < 0.6)
    cols: dict[str, str] = {}
    lookups: dict[str, tuple[str, str]] = {}
    show: dict[str, str] = {}
    used = {"id", fk, cap}
    for a in entity.attrs:
        if a.name not in attrs:
            continue
        name = next((c for c in rng.sample(a.columns, len(a.columns)) if c not in used), None)
        if name is None:
            raise ValueError(f"{a.name}: every column name is taken")
        used.add(name)
        show[a.name] = name
        table = f"{what}_{name}s" if f"{name}s" in taken else f"{name}s"
        if a.categorical and a.name != entity.label and rng.random() < normalise:
            lookups[a.name] = (table, f"{name}_id")
            taken.add(table)
            used.add(f"{name}_id")
        else:
            cols[a.name] = name
    return Side(what, plural, plural, attrs, cols, lookups, show, entity.label, fk, cap)


def draw_design(rng: random.Random, cat: GrammarCategory) -> Design:
    """A seeded design of ``cat``: deterministic in ``rng``."""
    taken: set[str] = set()
    group = _side(rng, cat.group, 0.35, taken)
    taken.add(group.table)
    fk = f"{group.what}_id"
    cap = rng.choice(cat.write.capacity)
    item = _side(rng, cat.item, 0.4, taken, fk=fk, cap=cap)
    taken.add(item.table)
    owner = _side(rng, cat.owner, 0.0, taken)
    record_what, record_table = rng.choice(cat.write.record)
    shape = rng.choice(SHAPES)
    paging = rng.choice(PAGING)
    ranged = [a for a in item.attrs if cat.item.attr(a).rank]
    texts = [a for a in item.attrs if cat.item.attr(a).categorical]
    pool = sorted(set(ranged + texts))
    item_filters = tuple(sorted(rng.sample(pool, rng.randint(1, len(pool))))) if pool else ()
    gcat = [a for a in group.attrs if cat.group.attr(a).categorical and a != cat.group.label]
    group_filters = tuple(sorted(rng.sample(gcat, rng.randint(0, len(gcat))))) if gcat else ()
    i, ip, g, gp, o = item.what, item.plural, group.what, group.plural, owner.what
    names = {
        "list_groups": rng.choice([f"list_{gp}", f"all_{gp}", f"browse_{gp}"]),
        "find_group": rng.choice([f"find_{g}", f"get_{g}_by_name", f"lookup_{g}"]),
        "search": rng.choice([f"search_{ip}", f"find_{ip}", f"query_{ip}"]),
        "list": rng.choice([f"list_{ip}", f"{ip}_in_{g}", f"browse_{ip}"]),
        "get": rng.choice([f"get_{i}", f"{i}_details", f"fetch_{i}"]),
        "get_many": rng.choice([f"get_{ip}", f"fetch_{ip}", f"{i}_details_batch"]),
        "find_owner": rng.choice([f"find_{o}", f"get_{o}_by_name", f"lookup_{o}"]),
        "write": rng.choice(cat.write.verbs),
        "undo": f"{rng.choice(cat.write.undo_verbs)}_{record_what}",
    }
    return Design(
        group=group,
        item=item,
        owner=owner,
        record_table=record_table,
        record_what=record_what,
        record_item=f"{item.what}_id",
        record_owner=f"{owner.what}_id",
        record_key=f"{record_what}_id",
        shape=shape,
        paging=paging,
        page_size=rng.choice([5, 8, 10]),
        batch=rng.choice([5, 10]),
        errors=rng.choice(ERRORS),
        range_args=rng.choice(RANGE_STYLES),
        item_filters=item_filters,
        group_filters=group_filters,
        group_find=rng.random() < 0.5,
        names=names,
        undo=rng.random() < 0.5,
    )
