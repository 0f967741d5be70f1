"""A grammar category as a procedural category: ``build(seed, index)`` draws a world from
the declaration's reference data, a design, the database and tools of that design, and a
ladder of composed tasks with their solutions, verifiers and perturbed controls."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from envfoundry.generators.general.base import EnvironmentDraft, TaskDraft, item_rng
from envfoundry.generators.general.categories._kit import check_item, check_levels, db_bytes
from envfoundry.generators.general.grammar import codegen
from envfoundry.generators.general.grammar.compose import (
    Composition,
    answer_keys,
    answer_schema,
    render_prompt,
    verifier_spec,
)
from envfoundry.generators.general.grammar.design import Design, Side, draw_design
from envfoundry.generators.general.grammar.ladder import NoComposition, Sampler, toolset_plan
from envfoundry.generators.general.grammar.model import GrammarCategory, Rows

Placement = tuple[int, tuple[str, ...], int]  # toolset version, tools added to v1, plan calls


def _ids(rng: random.Random, n: int) -> list[int]:
    """Seeded ids 1..n: a row's id says nothing of when it was drawn."""
    return rng.sample(range(1, n + 1), n)


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    for row in sorted(rows, key=lambda r: r["id"]):
        cols = ", ".join(f'"{k}"' for k in row)
        marks = ", ".join("?" * len(row))
        conn.execute(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', tuple(row.values()))


def fill(
    conn: sqlite3.Connection, rng: random.Random, d: Design, rows: Rows
) -> list[tuple[int, str]]:
    """Store the world's rows in design ``d``'s tables; the owners' (id, name)."""
    lookup_ids: dict[str, dict[Any, int]] = {}
    for side, kind in ((d.group, "group"), (d.item, "item")):
        for attr, (table, _) in side.lookups.items():
            values = sorted({r[attr] for r in rows[kind] if r.get(attr) is not None})
            ids = _ids(rng, len(values))
            lookup_ids[f"{kind}.{attr}"] = dict(zip(values, ids, strict=True))
            _insert(conn, table, [{"id": i, "name": v} for v, i in zip(values, ids, strict=True)])

    def stored(side: Side, kind: str, row: dict[str, Any], rid: int) -> dict[str, Any]:
        out: dict[str, Any] = {"id": rid}
        for attr in side.attrs:
            if attr in side.lookups:
                out[side.lookups[attr][1]] = lookup_ids[f"{kind}.{attr}"].get(row.get(attr))
            else:
                out[side.cols[attr]] = row.get(attr)
        return out

    gids = _ids(rng, len(rows["group"]))
    _insert(
        conn,
        d.group.table,
        [stored(d.group, "group", r, i) for r, i in zip(rows["group"], gids, strict=True)],
    )
    iids = _ids(rng, len(rows["item"]))
    items = []
    for r, i in zip(rows["item"], iids, strict=True):
        row = stored(d.item, "item", r, i)
        row[d.item.fk] = gids[r["group"]]
        row[d.item.cap] = r["capacity"]
        items.append(row)
    _insert(conn, d.item.table, items)
    oids = _ids(rng, len(rows["owner"]))
    _insert(
        conn,
        d.owner.table,
        [stored(d.owner, "owner", r, i) for r, i in zip(rows["owner"], oids, strict=True)],
    )
    label = d.owner.label
    return sorted((i, str(r[label])) for r, i in zip(rows["owner"], oids, strict=True))


@dataclass(frozen=True)
class GrammarCatalog:
    """A procedural category built by the grammar engine from a declaration."""

    decl: GrammarCategory
    attempts: int = 40

    @property
    def name(self) -> str:
        return self.decl.name

    @property
    def description(self) -> str:
        return self.decl.description

    def warm_up(self) -> None:
        """Import and load the declaration's reference data and parse the sandbox sources
        once, in the calling thread (before batch threads start): one whole build does it."""
        self.build(0, 0)

    def build(self, seed: int, index: int, levels: Iterable[int] | None = None) -> EnvironmentDraft:
        return self.world(seed, index, levels)[0]

    def world(
        self, seed: int, index: int, levels: Iterable[int] | None = None
    ) -> tuple[EnvironmentDraft, Design, list[tuple[int, str]]]:
        """The draft of item ``(seed, index)`` with its design and owners (id, name)."""
        draft, design, owners, _ = self.composed(seed, index, levels)
        return draft, design, owners

    def composed(
        self, seed: int, index: int, levels: Iterable[int] | None = None
    ) -> tuple[EnvironmentDraft, Design, list[tuple[int, str]], dict[int, Composition]]:
        """:meth:`world` with the ladder's compositions by level."""
        check_item(seed, index)
        wanted = check_levels(levels)
        rng = item_rng(seed, self.name, index)
        last = ""
        for _ in range(self.attempts):
            try:
                return self._draw(rng, seed, index, wanted)
            except NoComposition as exc:
                last = str(exc)
        raise RuntimeError(
            f"{self.name}: no sound ladder in {self.attempts} draws (the last: {last})"
        )

    def _draw(
        self, rng: random.Random, seed: int, index: int, wanted: tuple[int, ...]
    ) -> tuple[EnvironmentDraft, Design, list[tuple[int, str]], dict[int, Composition]]:
        cat = self.decl
        rows = cat.rows(rng)
        design = draw_design(rng, cat)
        try:
            schema = codegen.schema_sql(cat, design)
        except ValueError as exc:
            raise NoComposition(str(exc)) from None
        conn = sqlite3.connect(":memory:")
        conn.row_factory = sqlite3.Row
        conn.executescript(schema)
        owners = fill(conn, rng, design, rows)
        ladder = Sampler(rng, cat, design, conn, owners).ladder()
        added, plan = toolset_plan(cat, design, ladder, conn)
        try:
            toolsets = codegen.tools(cat, design, added)
        except ValueError as exc:  # a declaration whose names collide in this design
            raise NoComposition(str(exc)) from None
        drafts = {
            level: self._task(rng, design, level, ladder[level], plan[level])
            for level in sorted(ladder)
        }
        tasks = tuple(drafts[level] for level in wanted)
        draft = EnvironmentDraft(
            category=self.name,
            name=f"{self.name}-{seed}-{index}",
            db_bytes=db_bytes(conn),
            toolsets=toolsets,
            tasks=tasks,
            provenance={
                "driver": "procedural",
                "seed": seed,
                "index": index,
                "engine": "grammar",
                "design": design.key(),
                "toolsets": _versions(design, added),
            },
        )
        return draft, design, owners, ladder

    def task(
        self,
        rng: random.Random,
        d: Design,
        level: int,
        c: Composition,
        placed: Placement,
        **metadata: Any,
    ) -> TaskDraft:
        """The task of composition ``c`` on design ``d``: prompt, answer schema, reference
        solution, verifier and perturbed control, all derived from ``c``; ``placed`` is its
        toolset version, the tools it uses beyond v1 and its plan's call count
        (:func:`~envfoundry.generators.general.grammar.ladder.toolset_plan`)."""
        return self._task(rng, d, level, c, placed, **metadata)

    def _task(
        self,
        rng: random.Random,
        d: Design,
        level: int,
        c: Composition,
        placed: Placement,
        **metadata: Any,
    ) -> TaskDraft:
        cat = self.decl
        keys, fields = answer_keys(d, c)
        perturbed = c.without_last_condition()
        version, added, calls = placed
        return TaskDraft(
            level=level,
            prompt=render_prompt(rng, cat, d, c, fields),
            answer_schema=answer_schema(fields, c.k),
            solution_source=codegen.solution(cat, d, c, keys, added),
            verifier_source=codegen.CODE.render("verify", {"SPEC": verifier_spec(cat, d, c)}),
            perturbed_solution_source=codegen.solution(cat, d, perturbed, keys, added),
            toolset_version=version,
            unique_answer=True,
            metadata={
                "constraints": c.kinds(),
                "toolset_version": version,
                "tools_added": [d.names[r] for r in added],
                "plan_calls": calls,
                **metadata,
            },
        )


def _versions(d: Design, added: tuple[str, ...]) -> dict[str, Any]:
    """What each toolset version adds (environment provenance): v1 reads, each added tool
    makes one version, the write the last."""
    out: dict[str, Any] = {"1": "read"}
    for k, role in enumerate(added, start=2):
        out[str(k)] = {"added": d.names[role], "role": role}
    out[str(len(added) + 2)] = "write"
    return out
