"""A grammar category's declaration: entities, attributes, relations and its write action.

A category declares four roles. The **group** (a country, an element, a language) and the
**item** that belongs to it (an airport, a stock lot, a translator) carry the attributes tasks
filter, rank and aggregate; the **owner** (a client, a lab) is who a write acts for; the
**record** is the row a write creates. Relations are fixed by the roles: item -> group,
record -> item, record -> owner. Rows come from the category's ``rows(rng)``, with real
reference data where a package ships it. Everything else (schema, tools, tasks, prompts) the
engine derives from this declaration and a seeded design.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Kind = Literal["text", "int", "real"]


@dataclass(frozen=True)
class Attr:
    """One attribute. ``columns`` are the names a design may store it under (synonyms);
    ``phrase`` is how prompts say it; ``unit`` follows numbers in prompts."""

    name: str
    kind: Kind
    columns: tuple[str, ...]
    phrase: str
    unit: str = ""
    categorical: bool = False  # few distinct values: an equality filter; may be normalised
    rank: bool = False  # numbers tasks may rank and compare
    # a ranked number whose total means something (money, counts, durations): tasks add it
    # up; not ratings, coordinates, percentages or per-unit rates
    additive: bool = True
    optional: bool = False  # a design may leave it out

    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError(f"attribute {self.name}: no column names")
        if self.rank and self.kind == "text":
            raise ValueError(f"attribute {self.name}: text cannot be ranked")
        if self.categorical and self.kind != "text":
            raise ValueError(f"attribute {self.name}: only text is categorical")


@dataclass(frozen=True)
class Entity:
    """An entity role: its names (singular, plural) a design picks from, attributes and the
    attribute that names a row (its label)."""

    names: tuple[tuple[str, str], ...]
    attrs: tuple[Attr, ...]
    label: str

    def attr(self, name: str) -> Attr:
        for a in self.attrs:
            if a.name == name:
                return a
        raise KeyError(name)

    def __post_init__(self) -> None:
        if not self.names:
            raise ValueError("an entity needs at least one name")
        labels = [a for a in self.attrs if a.name == self.label]
        if len(labels) != 1 or labels[0].kind != "text" or labels[0].optional:
            raise ValueError(f"label {self.label!r} must be one required text attribute")


@dataclass(frozen=True)
class WriteAction:
    """The write: take one unit of the item's capacity for an owner, and record it.

    The precondition is that the item has capacity left (``capacity`` > 0)."""

    verbs: tuple[str, ...]  # tool names a design picks from ("book_slot", "reserve_slot")
    capacity: tuple[str, ...]  # column names of the item's capacity ("slots_left", ...)
    capacity_phrase: str  # "a free landing slot"
    record: tuple[tuple[str, str], ...]  # (singular, plural) names of the record
    undo_verbs: tuple[str, ...]  # an undo tool a design may offer ("cancel", "release")
    phrase: str  # "book a landing slot at it for {owner}"


Rows = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class GrammarCategory:
    """A category declared for the grammar engine.

    ``rows(rng)`` returns ``{"group": [...], "item": [...], "owner": [...]}``: attribute values
    by attribute name, items with ``group`` (an index into the groups) and ``capacity``.
    """

    name: str
    description: str
    group: Entity
    item: Entity
    owner: Entity
    write: WriteAction
    rows: Callable[[random.Random], Rows]
