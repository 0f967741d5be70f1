"""The LLM's hook into the grammar: a model proposes a new composition (a combination of
constraints) for a drawn environment, as JSON checked against a JSON Schema built from the
category's declaration, the environment's design and its data.

The engine then treats the proposal like a sampled composition: it must be sound on the
environment (a unique, well-defined answer; every constraint changes it), and its prompt,
reference solution, verifier and perturbed control are derived from it. A proposal that
breaks the schema is sent back for repair; one that is not sound is rejected with the
reason (:class:`GenerationError`).

:func:`propose_ladder` is the LLM driver's path for a grammar category: the model proposes
each level of the environment's ladder within that level's shape (:data:`LEVELS`); a level
whose proposal is rejected keeps the sampled composition, and says why in its metadata.
"""

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import replace
from typing import Any

from envfoundry.errors import GenerationError
from envfoundry.generators.general.base import EnvironmentDraft, TaskDraft
from envfoundry.generators.general.grammar.category import GrammarCatalog
from envfoundry.generators.general.grammar.compose import GOALS, OPS, Composition, Cond
from envfoundry.generators.general.grammar.design import Design
from envfoundry.generators.general.grammar.ladder import NoComposition, Sampler, place
from envfoundry.generators.general.grammar.model import Entity
from envfoundry.generators.llm import LLMClient, StructuredOutputError, complete_json


def _cond_schema(entity: Entity, attrs: tuple[str, ...]) -> dict[str, Any]:
    usable = [a for a in attrs if entity.attr(a).categorical or entity.attr(a).rank]
    return {
        "type": "object",
        "properties": {
            "attr": {"enum": usable},
            "op": {"enum": list(OPS)},
            "value": {
                "anyOf": [
                    {"type": ["string", "number"]},
                    {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
                ]
            },
        },
        "required": ["attr", "op", "value"],
        "additionalProperties": False,
    }


# The shape of each level of the sampler's ladder (``ladder.py``): how many named groups,
# group conditions (a join) and item conditions it has, its goals, whether it adds the
# total of a second attribute and whether it writes. A proposal for level n keeps level n's
# shape, so the ladder still rises and its checks still apply.
LEVELS: dict[int, dict[str, Any]] = {
    1: {"names": 1, "joins": 0, "where": 1, "goals": ("list", "count"), "total": False,
        "write": False, "text": "one named group and one condition on its items; list the "
        "items that meet it, or count them"},
    2: {"names": 2, "joins": 0, "where": 2, "goals": ("best", "sum", "max", "min"),
        "total": False, "write": False, "text": "two named groups and two conditions on "
        "items; the best item by a rankable attribute, or the sum / max / min of one"},
    3: {"names": 0, "joins": 1, "where": 2, "goals": ("best", "top"), "total": False,
        "write": False, "text": "no named group: the groups meeting one condition on their "
        "own attributes (a join), and two conditions on items; the best item or an ordered "
        "top k"},
    4: {"names": 1, "joins": 1, "where": 2, "goals": ("top",), "total": True,
        "write": False, "text": "a join as in level 3 plus one named group outside it, and "
        "two conditions on items; an ordered top k and the total of another rankable "
        "attribute over those k"},
    5: {"names": 1, "joins": 1, "where": 2, "goals": ("best",), "total": False,
        "write": True, "text": "level 4's scope and two conditions on items; the best item "
        "that has capacity left, written for a named owner"},
}  # fmt: skip


def proposal_schema(
    catalog: GrammarCatalog,
    d: Design,
    groups: list[str],
    owners: list[str],
    level: int | None = None,
) -> dict[str, Any]:
    """The JSON Schema of a proposed composition on design ``d``; with ``level``, one of
    that level's shape (:data:`LEVELS`)."""
    schema = _free_schema(catalog, d, groups, owners)
    if level is None:
        return schema
    shape, props = LEVELS[level], schema["properties"]
    ranks = [a for a in props["attr"]["enum"] if a]
    for key, n in (
        ("scope_names", shape["names"]),
        ("scope_where", shape["joins"]),
        ("where", shape["where"]),
    ):
        props[key] = {**props[key], "minItems": n, "maxItems": n}
    props["goal"] = {"enum": list(shape["goals"])}
    props["attr"] = {"enum": [""] if level == 1 else ranks}
    # the total of another, additive attribute: none when only the ranked one adds up
    props["total"] = {"enum": props["total"]["enum"] if shape["total"] else [""]}
    props["write"] = {"enum": [shape["write"]]}
    props["owner"] = {"enum": owners if shape["write"] else [""]}
    if "top" not in shape["goals"]:
        props["k"] = {"enum": [3]}
    return schema


def _free_schema(
    catalog: GrammarCatalog, d: Design, groups: list[str], owners: list[str]
) -> dict[str, Any]:
    cat = catalog.decl
    ranks = [a for a in d.item.attrs if cat.item.attr(a).rank]
    sums = [a for a in ranks if cat.item.attr(a).additive]
    return {
        "type": "object",
        "properties": {
            "scope_names": {"type": "array", "items": {"enum": groups}, "maxItems": 3},
            "scope_where": {
                "type": "array", "items": _cond_schema(cat.group, d.group.attrs), "maxItems": 2,
            },
            "where": {
                "type": "array", "items": _cond_schema(cat.item, d.item.attrs),
                "minItems": 1, "maxItems": 4,
            },
            "goal": {"enum": list(GOALS)},
            "attr": {"enum": ["", *ranks]},
            "descending": {"type": "boolean"},
            "k": {"type": "integer", "minimum": 2, "maximum": 5},
            "total": {"enum": ["", *sums]},
            "write": {"type": "boolean"},
            "owner": {"enum": ["", *owners]},
        },
        "required": ["scope_names", "scope_where", "where", "goal", "attr", "descending",
                     "k", "total", "write", "owner"],
        "additionalProperties": False,
    }  # fmt: skip


def proposal_of(c: Composition) -> dict[str, Any]:
    """A composition as the JSON a model proposes (the inverse of :func:`composition_of`)."""

    def conds(cs: tuple[Cond, ...]) -> list[dict[str, Any]]:
        return [
            {"attr": x.attr, "op": x.op, "value": list(x.value) if x.op == "between" else x.value}
            for x in cs
        ]

    return {
        "scope_names": list(c.scope_names),
        "scope_where": conds(c.scope_where),
        "where": conds(c.where),
        "goal": c.goal,
        "attr": c.attr,
        "descending": c.descending,
        "k": c.k,
        "total": c.total,
        "write": c.write,
        "owner": c.owner,
    }


def composition_of(
    value: dict[str, Any], catalog: GrammarCatalog, owners: dict[str, int]
) -> Composition:
    """The composition a schema-valid proposal describes; ValueError when it is incoherent."""

    def conds(items: list[dict[str, Any]], entity: Entity) -> tuple[Cond, ...]:
        out = []
        for x in items:
            a, op, value = entity.attr(x["attr"]), x["op"], x["value"]
            text = op in ("eq", "ne") and a.categorical and isinstance(value, str)
            number = op in ("ge", "le") and a.rank and isinstance(value, int | float)
            pair = op == "between" and a.rank and isinstance(value, list)
            if pair and not value[0] < value[1]:
                raise ValueError(f"{x['attr']} between {value!r}: the low bound comes first")
            if not (text or number or pair):
                raise ValueError(
                    f"{x['attr']} {op} {value!r}: eq / ne compare categorical text, "
                    "ge / le a rankable number, between a rankable [low, high]"
                )
            out.append(Cond(x["attr"], op, tuple(value) if pair else value))
        return tuple(out)

    where = conds(value["where"], catalog.decl.item)
    scope_where = conds(value["scope_where"], catalog.decl.group)
    if value["goal"] in ("sum", "max", "min", "best", "top") and not value["attr"]:
        raise ValueError(f"goal {value['goal']} needs an attr")
    if value["goal"] == "sum" and not catalog.decl.item.attr(value["attr"]).additive:
        raise ValueError(f"{value['attr']} does not add up (not additive): no sum of it")
    if value["write"] and value["owner"] not in owners:
        raise ValueError("a write needs one of the owners")
    return Composition(
        where=where,
        goal=value["goal"],
        scope_names=tuple(value["scope_names"]),
        scope_where=scope_where,
        attr=value["attr"],
        descending=value["descending"],
        k=value["k"],
        total=value["total"] if value["goal"] == "top" else "",
        write=value["write"],
        owner=value["owner"] if value["write"] else "",
        owner_id=owners.get(value["owner"], 0) if value["write"] else 0,
    )


def _values(entity: Entity, attrs: tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    """What the attributes hold: a categorical one's values, a rankable one's range."""
    out = []
    for name in attrs:
        a = entity.attr(name)
        values = sorted({r[name] for r in rows if r.get(name) is not None})
        if a.categorical and values:
            shown = ", ".join(map(str, values[:12])) + (", ..." if len(values) > 12 else "")
            out.append(f"{name} (one of: {shown})")
        elif a.rank and values:
            out.append(f"{name} (from {values[0]} to {values[-1]})")
        else:
            out.append(name)
    return "; ".join(out)


def _brief(catalog: GrammarCatalog, d: Design, sampler: Sampler, level: int | None = None) -> str:
    cat = catalog.decl
    label = cat.group.label
    groups = [{a: g[a] for a in (label, *d.group.attrs)} for g in sampler.groups]
    shape = (
        f"It is level {level} of a ladder of harder and harder tasks: {LEVELS[level]['text']}. "
        if level is not None
        else ""
    )
    return (
        f"Category {cat.name}: {cat.description}\n"
        f"Groups ({d.group.plural}): {json.dumps(groups, default=str)}\n"
        f"Item attributes ({d.item.plural}): "
        f"{_values(cat.item, d.item.attrs, sampler.items)}\n"
        "Propose one new task as a composition of constraints: a scope (named groups, "
        "conditions on group attributes, or both), conditions on items, a goal and, for a "
        "write, the owner it acts for. Conditions: eq / ne on categorical text, ge / le on "
        "a rankable number, between [low, high] on a rankable number (both inclusive). "
        f"{shape}Every constraint must matter and the answer must be unique."
    )


class _Proposer:
    """One environment's conversation partner: asks for a composition, checks it and places
    it on the environment's toolset versions."""

    def __init__(
        self,
        client: LLMClient,
        catalog: GrammarCatalog,
        draft: EnvironmentDraft,
        design: Design,
        owner_rows: list[tuple[int, str]],
        seed: int,
        index: int,
    ) -> None:
        self.client, self.catalog, self.design = client, catalog, design
        conn = sqlite3.connect(":memory:")
        conn.deserialize(draft.db_bytes)
        conn.row_factory = sqlite3.Row
        self.conn = conn
        self.sampler = Sampler(
            random.Random(f"llm:{seed}:{index}"), catalog.decl, design, conn, owner_rows
        )
        self.owners = {name: i for i, name in owner_rows}
        self.groups = [str(g[catalog.decl.group.label]) for g in self.sampler.groups]
        toolsets = draft.provenance["toolsets"].values()
        self.added = tuple(v["role"] for v in toolsets if isinstance(v, dict))

    def propose(
        self, level: int | None, max_repairs: int
    ) -> tuple[Composition, tuple[int, tuple[str, ...], int]]:
        """A sound composition the model proposed (of ``level``'s shape when given) and its
        placement; GenerationError with the reason when it is rejected."""
        d = self.design
        schema = proposal_schema(self.catalog, d, self.groups, sorted(self.owners), level)
        messages = [{"role": "user", "content": _brief(self.catalog, d, self.sampler, level)}]
        try:
            value = complete_json(self.client, messages, schema, max_repairs=max_repairs).value
            c = composition_of(value, self.catalog, self.owners)
        except (StructuredOutputError, ValueError) as exc:
            raise GenerationError(f"proposal rejected: {exc}") from None
        why = self.sampler.unsound(c)
        if why is not None:
            raise GenerationError(f"proposal rejected: not sound on this environment: {why}")
        try:
            placed = place(self.catalog.decl, d, c, self.conn, self.added)
        except NoComposition as exc:
            raise GenerationError(f"proposal rejected: {exc}") from None
        return c, placed


def propose_task(
    client: LLMClient, catalog: GrammarCatalog, seed: int, index: int, *, max_repairs: int = 1
) -> EnvironmentDraft:
    """Environment ``(seed, index)`` of ``catalog`` with one task the model proposed (its
    level counts its constraints, 1 to 5). Raises GenerationError with the reason when the
    proposal breaks the schema after repairs, or is not sound on this environment."""
    draft, design, owner_rows = catalog.world(seed, index)
    proposer = _Proposer(client, catalog, draft, design, owner_rows, seed, index)
    c, placed = proposer.propose(None, max_repairs)
    level = max(1, min(5, len(c.kinds()) - 2))
    task: TaskDraft = catalog.task(
        random.Random(f"llm-prompt:{seed}:{index}"), design, level, c, placed, proposed_by="llm"
    )
    return EnvironmentDraft(
        category=draft.category,
        name=draft.name,
        db_bytes=draft.db_bytes,
        toolsets=draft.toolsets,
        tasks=(task,),
        provenance={**draft.provenance, "driver": "llm-grammar"},
    )


def propose_ladder(
    client: LLMClient, catalog: GrammarCatalog, seed: int, index: int, *, max_repairs: int = 1
) -> EnvironmentDraft:
    """Environment ``(seed, index)`` of ``catalog`` with a ladder whose compositions the
    model proposes, one conversation per level, each within the level's shape
    (:data:`LEVELS`). A level whose proposal is rejected (off the schema after repairs,
    incoherent, unsound, or over the call budget) keeps the engine's sampled composition:
    the environment still gets its whole ladder. Each task says which one it got in
    ``metadata["proposed_by"]`` (``"llm"`` or ``"sampler"``) and, when the proposal was
    rejected, why in ``metadata["proposal_rejected"]``; the environment's provenance counts
    both under ``"proposals"``."""
    draft, design, owner_rows = catalog.world(seed, index)
    proposer = _Proposer(client, catalog, draft, design, owner_rows, seed, index)
    tasks: list[TaskDraft] = []
    accepted = 0
    for sampled in draft.tasks:
        level = sampled.level
        try:
            c, placed = proposer.propose(level, max_repairs)
        except GenerationError as exc:
            meta = {**sampled.metadata, "proposed_by": "sampler", "proposal_rejected": str(exc)}
            tasks.append(replace(sampled, metadata=meta))
            continue
        rng = random.Random(f"llm-prompt:{seed}:{index}:{level}")
        tasks.append(catalog.task(rng, design, level, c, placed, proposed_by="llm"))
        accepted += 1
    return replace(
        draft,
        tasks=tuple(tasks),
        provenance={
            **draft.provenance,
            "driver": "llm-grammar",
            "model": getattr(client, "model", None),
            "proposals": {"accepted": accepted, "rejected": len(tasks) - accepted},
        },
    )


# ------------------------------------------------------------------ new categories

CATEGORY_BRIEF = """Propose a new category of tool-use environments as a declaration (JSON).
Four roles: the group (a port, a country, an element) and the item that belongs to it (a
sailing, an airport, a stock lot) carry the attributes tasks filter, rank and aggregate; the
owner (a traveller, a lab) is who a write acts for; the write takes one unit of an item's
capacity for an owner and records it. Each attribute has a kind (text, int, real), column
names a design may store it under (synonyms), the phrase prompts use, a unit for numbers,
and flags: categorical (text with few distinct values), rank (numbers tasks compare),
additive (a rank number whose total means something: money, counts, durations; false for
ratings, coordinates, percentages, per-unit rates), optional. Give realistic rows: groups,
items (each with "group": the index of its group in the group rows, and "capacity": units
left) and owners. A ladder of tasks needs at least
{min_groups} groups, {min_big} of them with {big} or more items, two required rank attributes
on items, a categorical or rank attribute on groups besides the label, {min_owners} or more
owners, and every categorical or rank attribute with more than one value. Names of entities,
attributes, columns, verbs and records are lower-case identifiers. Already taken: {taken}."""


def _category_brief(taken: list[str]) -> str:
    from envfoundry.generators.general.grammar import declare

    return CATEGORY_BRIEF.format(
        min_groups=declare.MIN_GROUPS,
        min_big=declare.MIN_BIG_GROUPS,
        big=declare.BIG,
        min_owners=declare.MIN_OWNERS,
        taken=", ".join(taken) or "none",
    )


def propose_category(
    client: LLMClient, taken: list[str], *, max_repairs: int = 2
) -> tuple[dict[str, Any], GrammarCatalog, int]:
    """A new category the model declares: its JSON (with rows), its catalog and the model
    calls it took. The JSON must match ``declare.declaration_schema()``; a reply that does
    not, or whose declaration fails the engine's checks (``declare.declaration_of``,
    ``declare.check_sound``), is sent back with the reason, up to ``max_repairs`` times in
    all. GenerationError with the last reason when no reply is accepted."""
    from envfoundry.generators.general.grammar import declare

    schema = declare.declaration_schema()
    convo: list[dict[str, Any]] = [{"role": "user", "content": _category_brief(taken)}]
    budget, calls = max_repairs, 0
    while True:
        try:
            result = complete_json(client, convo, schema, max_repairs=budget)
        except StructuredOutputError as exc:
            raise GenerationError(f"category rejected: {exc}") from None
        calls += result.attempts
        budget -= result.attempts - 1
        value = result.value
        try:
            if value["name"] in taken:
                raise declare.DeclarationError(f"the name {value['name']!r} is taken")
            catalog = declare.check_sound(declare.declaration_of(value))
        except declare.DeclarationError as exc:
            if budget <= 0:
                raise GenerationError(f"category {value['name']!r} rejected: {exc}") from None
            budget -= 1
            convo = [
                *convo,
                {"role": "assistant", "content": json.dumps(value)},
                {
                    "role": "user",
                    "content": f"Your declaration was rejected: {exc}. Send the whole "
                    "declaration again, fixed.",
                },
            ]
            continue
        return value, catalog, calls


def propose_categories(
    client: LLMClient, data_dir: Any, n: int, taken: list[str], *, max_repairs: int = 2
) -> list[dict[str, Any]]:
    """Ask for ``n`` new categories, one conversation each; store the accepted ones (with
    their rows) under ``data_dir`` for later runs. One row per proposal: ``name`` (None when
    rejected before a name), ``accepted``, ``reason``, ``calls`` and ``path``."""
    from envfoundry.generators.general.grammar import declare

    out: list[dict[str, Any]] = []
    names = list(taken)
    for _ in range(n):
        try:
            value, _catalog, calls = propose_category(client, names, max_repairs=max_repairs)
        except GenerationError as exc:
            out.append({"name": None, "accepted": False, "reason": str(exc), "path": None})
            continue
        path = declare.store(
            data_dir, value, {"proposed_by": "llm", "model": getattr(client, "model", None)}
        )
        names.append(value["name"])
        out.append(
            {
                "name": value["name"],
                "accepted": True,
                "reason": "",
                "calls": calls,
                "path": str(path),
            }
        )
    return out
