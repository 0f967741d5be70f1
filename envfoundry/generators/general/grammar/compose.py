"""Tasks as compositions of constraints: the data of one task, its constraint kinds, its
prompt (several phrasings per constraint kind) and the spec its verifier evaluates.

A :class:`Composition` says which groups are in scope (named ones, or those meeting
conditions: a join), the conditions items must meet, the goal (list, count, sum / max / min,
arg-max / arg-min, an ordered top-k with a total) and whether the chosen item is then
written for an owner (with the precondition that it has capacity left). The reference
solution (:func:`codegen.solution`) and the verifier spec (:func:`verifier_spec`) are both
derived from it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Any

from envfoundry.generators.general.grammar.design import Design
from envfoundry.generators.general.grammar.model import Attr, GrammarCategory

GOALS = ("list", "count", "sum", "max", "min", "best", "top")
OPS = ("eq", "ne", "ge", "le", "between")
_KIND = {"eq": "eq", "ne": "ne", "ge": "range", "le": "range", "between": "between"}


@dataclass(frozen=True)
class Cond:
    """``attr op value`` with op ``eq`` or ``ne`` (categorical text, ignoring case), ``ge``
    or ``le`` (a rankable number), or ``between`` (a rankable number within ``(low, high)``,
    both inclusive). ``OPS`` lists them; ``query._holds`` is their meaning."""

    attr: str
    op: str
    value: Any


@dataclass(frozen=True)
class Composition:
    where: tuple[Cond, ...]
    goal: str
    scope_names: tuple[str, ...] = ()
    scope_where: tuple[Cond, ...] = ()
    attr: str = ""  # ranked / aggregated attribute
    descending: bool = True
    k: int = 3
    total: str = ""  # top-k: also the total of this attribute over the k
    write: bool = False
    owner: str = ""
    owner_id: int = 0
    phrasing: tuple[int, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if self.goal not in GOALS:
            raise ValueError(f"unknown goal {self.goal!r}")
        if not self.scope_names and not self.scope_where:
            raise ValueError("a composition's scope is named groups, group conditions or both")
        if self.write and self.goal != "best":
            raise ValueError("a write acts on one chosen item")

    def kinds(self) -> list[str]:
        """The constraint kinds this task composes (``provenance["constraints"]``)."""
        if self.scope_where:
            out = ["join", "union"] if self.scope_names else ["join"]
        else:
            out = ["multi_entity" if len(self.scope_names) > 1 else "scope"]
        out += [f"filter:{_KIND[c.op]}" for c in self.where]
        out += {
            "list": ["list"],
            "count": ["aggregate:count"],
            "sum": ["aggregate:sum"],
            "max": ["aggregate:max"],
            "min": ["aggregate:min"],
            "best": ["argmax" if self.descending else "argmin"],
            "top": ["ordering"],
        }[self.goal]
        if self.total:
            out.append("aggregate:sum")
        if self.write:
            out += ["precondition", "write"]
        return out

    def without_last_condition(self) -> Composition:
        return replace(self, where=self.where[:-1])


def answer_keys(d: Design, c: Composition) -> tuple[dict[str, str], dict[str, str]]:
    """The answer's keys by role and the verifier's comparison kind per answer field."""
    i = d.item
    attr = i.show[c.attr] if c.attr else ""
    keys: dict[str, str] = {"ids": f"{i.what}_ids", "id": f"{i.what}_id"}
    if c.goal == "count":
        keys["value"] = f"number_of_{i.plural}"
    elif c.goal in ("sum", "max", "min"):
        keys["value"] = {"sum": "total_", "max": "highest_", "min": "lowest_"}[c.goal] + attr
    elif c.total:
        keys["value"] = f"total_{i.show[c.total]}"
    fields: dict[str, str] = {}
    if c.goal == "list":
        fields[keys["ids"]] = "ids"
    elif c.goal == "best":
        fields[keys["id"]] = "id"
    elif c.goal == "top":
        fields[keys["ids"]] = "ordered"
    if "value" in keys:
        fields[keys["value"]] = "value"
    return keys, fields


def answer_schema(fields: dict[str, str], k: int) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for key, kind in fields.items():
        if kind == "ids":
            props[key] = {"type": "array", "x-ordered": False, "items": {"type": "integer"}}
        elif kind == "ordered":
            props[key] = {
                "type": "array", "x-ordered": True, "items": {"type": "integer"},
                "minItems": k, "maxItems": k,
            }  # fmt: skip
        elif kind == "id":
            props[key] = {"type": "integer"}
        else:
            props[key] = {"type": "number"}
    return {
        "type": "object",
        "properties": props,
        "required": sorted(props),
        "additionalProperties": False,
    }


def _scope(c: Composition) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if c.scope_names:
        out["names"] = list(c.scope_names)
    if c.scope_where:
        out["where"] = [[x.attr, x.op, x.value] for x in c.scope_where]
    return out


def verifier_spec(cat: GrammarCategory, d: Design, c: Composition) -> dict[str, Any]:
    """What the verifier (and the generator, through the same ``query.py``) evaluates."""
    keys, fields = answer_keys(d, c)
    goal: dict[str, Any] = {"kind": c.goal}
    if c.attr:
        goal["attr"] = c.attr
    if c.goal in ("best", "top"):
        goal["descending"] = c.descending
    if c.goal == "top":
        goal["k"] = c.k
        goal["total"] = c.total
    spec: dict[str, Any] = {
        "item": d.item.spec(),
        "group": d.group.spec(),
        "scope": _scope(c),
        "where": [[x.attr, x.op, x.value] for x in c.where],
        "goal": goal,
        "keys": keys,
        "fields": fields,
    }
    if c.write:
        spec["write"] = {
            "owner": c.owner_id,
            "what": d.record_what,
            "record": {"table": d.record_table, "item": d.record_item, "owner": d.record_owner},
        }
    return spec


# ------------------------------------------------------------------ prompts

_EQ = ("whose {p} is {v}", "with {p} {v}", "where the {p} is {v}")
_GE = (
    "with {p} of at least {v}{u}",
    "whose {p} is {v}{u} or more",
    "with {p} no lower than {v}{u}",
)
_LE = (
    "with {p} of at most {v}{u}",
    "whose {p} is {v}{u} or less",
    "with {p} no higher than {v}{u}",
)
_NE = ("whose {p} is not {v}", "with a {p} other than {v}", "except those whose {p} is {v}")
_BETWEEN = (
    "with {p} between {lo}{u} and {hi}{u}",
    "whose {p} is from {lo}{u} to {hi}{u}",
    "with {p} no lower than {lo}{u} and no higher than {hi}{u}",
)
_UNION = (" (or else in {names})", ", or in {names}", " (plus those in {names})")
# "{verb}" agrees with the frame's subject: "every item that belongs to", "items that belong to"
_NAMED = ("in {names}", "that {verb} to {names}", "listed under {names}")
_JOIN = ("in any {g} {conds}", "belonging to a {g} {conds}", "from a {g} {conds}")
_FRAMES: dict[str, tuple[str, ...]] = {
    "list": (
        "List every {item} {conds}; give their ids in any order.",
        "Which {items} {conds} are there? Answer with all of their ids (order does not matter).",
        "I need the ids of all {items} {conds}, in any order.",
    ),
    "count": (
        "How many {items} are there {conds}?",
        "Count the {items} {conds}.",
        "What is the number of {items} {conds}?",
    ),
    "sum": (
        "What is the total {attr} of the {items} {conds}?",
        "Add up the {attr} of every {item} {conds}.",
        "Sum the {attr} over all {items} {conds}.",
    ),
    "max": (
        "What is the highest {attr} among the {items} {conds}?",
        "Among the {items} {conds}, report the largest {attr}.",
        "Find the maximum {attr} of any {item} {conds}.",
    ),
    "min": (
        "What is the lowest {attr} among the {items} {conds}?",
        "Among the {items} {conds}, report the smallest {attr}.",
        "Find the minimum {attr} of any {item} {conds}.",
    ),
    "best": (
        "Among the {items} {conds}, which one has the {extreme} {attr}? Give its id.",
        "Find the {item} {conds} with the {extreme} {attr}.",
        "Which {item} {conds} has the {extreme} {attr}?",
    ),
    "top": (
        "Rank the {items} {conds} by {attr}, {direction}, and give the ids of the first {k} "
        "in that order.",
        "Give the ids of the {k} {items} {conds} with the {extreme} {attr}, ordered from the "
        "{extreme} {attr} on.",
        "Which {k} {items} {conds} have the {extreme} {attr}? List their ids in order, "
        "{direction}.",
    ),
    "write": (
        "For the {owner} {name}, {act}: pick, among the {items} {conds} that still have "
        "{capacity}, the one with the {extreme} {attr}. Give its id.",
        "{Name} ({owner}) needs you to {act}. Choose the {item} {conds} with the {extreme} "
        "{attr} among those with {capacity} left, and give its id.",
        "Of the {items} {conds}, only those with {capacity} qualify. For the {owner} {name}, "
        "{act}: the one with the {extreme} {attr}. Give its id.",
    ),
}
_TOTAL = (
    " Also give the total {tattr} of those {k}.",
    " Add up their {tattr} too.",
    " Report as well the sum of their {tattr}.",
)


def _number(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _cond(rng: random.Random, attr: Attr, c: Cond) -> str:
    unit = f" {attr.unit}" if attr.unit else ""
    if c.op == "between":
        lo, hi = c.value
        return rng.choice(_BETWEEN).format(p=attr.phrase, lo=_number(lo), hi=_number(hi), u=unit)
    pool = {"eq": _EQ, "ne": _NE, "ge": _GE, "le": _LE}[c.op]
    text = c.op in ("eq", "ne")
    value = f"{c.value!r}".replace("'", '"') if text else _number(c.value)
    return rng.choice(pool).format(p=attr.phrase, v=value, u=unit)


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _json_hint(fields: dict[str, str]) -> str:
    parts = []
    for key, kind in fields.items():
        value = {"ids": "[<id>, ...]", "ordered": "[<id>, ...]", "id": "<id>"}.get(kind, "<number>")
        parts.append(f'"{key}": {value}')
    return "Answer with JSON {" + ", ".join(parts) + "}."


def render_prompt(
    rng: random.Random, cat: GrammarCategory, d: Design, c: Composition, fields: dict[str, str]
) -> str:
    """The task in words: a frame per goal, a phrasing per constraint, the answer's JSON."""
    g, i = d.group, d.item
    names = " or ".join(", ".join(c.scope_names).rsplit(", ", 1))
    named = ""  # the named scope's phrasing, set once the frame says singular or plural
    if c.scope_where:
        gconds = _and([_cond(rng, cat.group.attr(x.attr), x) for x in c.scope_where])
        scope = rng.choice(_JOIN).format(g=g.what.replace("_", " "), conds=gconds)
        if c.scope_names:
            scope += rng.choice(_UNION).format(names=names)
    else:
        named = rng.choice(_NAMED)
    item_conds = [_cond(rng, cat.item.attr(x.attr), x) for x in c.where]
    attr = cat.item.attr(c.attr).phrase if c.attr else ""
    extreme = (
        rng.choice(("highest", "largest")) if c.descending else rng.choice(("lowest", "smallest"))
    )
    template = rng.choice(_FRAMES["write" if c.write else c.goal])
    if named:
        one = "{item} {conds}" in template  # "every {item} ...", "the {item} ... with"
        scope = named.format(names=names, verb="belongs" if one else "belong")
    words = {
        "item": i.what.replace("_", " "),
        "items": i.plural.replace("_", " "),
        "conds": _and([scope, *item_conds]),
        "attr": attr,
        "extreme": extreme,
        "direction": "highest first" if c.descending else "lowest first",
        "k": c.k,
        "owner": d.owner.what.replace("_", " "),
        "name": c.owner,
        "Name": c.owner,
        "act": cat.write.phrase,
        "capacity": cat.write.capacity_phrase,
    }
    frame = template.format(**words)
    if c.total:
        frame += rng.choice(_TOTAL).format(tattr=cat.item.attr(c.total).phrase, k=c.k)
    text = frame[0].upper() + frame[1:]
    return f"{text} {_json_hint(fields)}"
