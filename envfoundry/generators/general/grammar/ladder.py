"""Sample a ladder of compositions on one environment: level n+1 adds a constraint or
composition depth to level n.

* L1 — one named group (scope), one item condition; list or count.
* L2 — L1 + a second named group (multi-entity) + a second condition; arg-max / arg-min or
  sum / max / min.
* L3 — the named groups replaced by a join: the groups meeting a condition on their own
  attributes (more groups to read); arg-max / arg-min or an ordered top-3.
* L4 — L3 + one more named group beside the join's (a union: more groups to read) + an
  ordered top-3 with the total of another attribute.
* L5 — L4's scope and conditions, an arg-max / arg-min, the precondition (capacity left) and
  a write for a named owner.

Every level's answer is computed by the verifier's own query code on the database, and a
draw is kept only when the answer is unique and well-defined (no ties, non-trivial filters),
and when dropping the level's last condition changes the answer (the perturbed control).

The ladder is raised from measurement: a level is kept only when its reference plan, on the
toolset version it gets (:func:`step`), takes more tool calls than the level below takes on
its own. A level that needs the added tool (a batch lookup reads many items per call) is
therefore harder even with it, and every environment's plans rise strictly from L1 to L5, so
the medians over any set of environments do too.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from envfoundry.generators.general.categories.sandbox._grammar import query
from envfoundry.generators.general.grammar import codegen
from envfoundry.generators.general.grammar.compose import Composition, Cond, verifier_spec
from envfoundry.generators.general.grammar.design import Design
from envfoundry.generators.general.grammar.model import Entity, GrammarCategory

# how often a sampled condition uses ``ne`` instead of ``eq`` (categorical text) or
# ``between`` instead of ``ge`` / ``le`` (rankable numbers); a ``ne`` passes the soundness
# checks more often than an ``eq`` does, a ``between`` (each bound must matter) far less
NE_RATE = 0.08
BETWEEN_RATE = 0.4


class NoComposition(Exception):
    """This world or design admits no sound composition of some level; draw another."""


def _conds(
    rng: random.Random,
    entity: Entity,
    attrs: tuple[str, ...],
    rows: list[dict[str, Any]],
    per: int = 3,
) -> list[Cond]:
    """Up to ``per`` conditions per attribute that keep some of ``rows`` but not all, in a
    random order."""
    out: list[Cond] = []
    for name in attrs:
        a = entity.attr(name)
        values = sorted({r[name] for r in rows if r.get(name) is not None})
        if len(values) < 2 or name == entity.label:
            continue
        if a.categorical:
            for v in rng.sample(values, min(per, len(values))):
                out.append(Cond(name, "ne" if rng.random() < NE_RATE else "eq", v))
        elif a.rank:
            for _ in range(per):
                if rng.random() < BETWEEN_RATE and len(values) >= 3:
                    i = rng.randint(0, len(values) - 2)
                    j = rng.randint(i + 1, len(values) - 1)
                    if (i, j) != (0, len(values) - 1):  # a range that keeps every row is none
                        out.append(Cond(name, "between", (values[i], values[j])))
                        continue
                if rng.random() < 0.5:
                    out.append(Cond(name, "ge", values[rng.randint(1, len(values) - 1)]))
                else:
                    out.append(Cond(name, "le", values[rng.randint(0, len(values) - 2)]))
    out = list(dict.fromkeys(out))
    rng.shuffle(out)
    return out


def differs(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two answers differ by more than the verifier's tolerance (0.01 on numbers),
    with a margin: a control that differs by less would pass as a right answer."""
    for key in a:
        x, y = a[key], b.get(key)
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (x, y))
        if numbers and x != y and abs(x - y) > 0.1:
            return True
        if not numbers and x != y:
            return True
    return False


def _show(c: Cond) -> str:
    return f"{c.attr} {c.op} {c.value!r}"


def _holds(row: dict[str, Any], c: Cond) -> bool:
    return bool(query._holds(row, [c.attr, c.op, c.value]))


# a level's reference plan is to fit in this many tool calls (the runtime's default step
# budget is 50): over it on the current toolset, the environment gets the next version
CALL_BUDGET = 40


# what the levels placed so far leave to the next one: the tools added to the design's v1
# and the plan length to beat
Fit = tuple[tuple[str, ...], int]
GROUND: Fit = ((), 0)


def step(
    cat: GrammarCategory, d: Design, c: Composition, conn: codegen.Db, below: Fit
) -> Fit | None:
    """Composition ``c`` as the level above ``below`` (the tools added so far and the plan
    length of the level below): the tools added once ``c`` is placed and its plan's call
    count, or None when ``c`` is not a harder level there.

    ``c`` goes on the current toolset; when its plan there is over :data:`CALL_BUDGET`, the
    tool the design can add (``codegen.ADDABLE``) makes the next version and ``c`` uses it.
    It is a harder level when that plan fits the budget and takes more calls than the level
    below takes on its own version (a level made easier by the tool it is given is none)."""
    added, floor = below
    calls = codegen.plan_calls(cat, d, c, conn, added)
    role = codegen.ADDABLE.get(d.shape)
    if calls > CALL_BUDGET and role is not None and role not in added:
        added = (*added, role)
        calls = codegen.plan_calls(cat, d, c, conn, added)
    if calls > CALL_BUDGET or calls <= floor:
        return None
    return added, calls


class _Snapshot:
    """The database as the query code reads it (``execute(sql)``, then rows read by column
    name or position), each table read once: the soundness checks evaluate thousands of
    compositions per draft, and each evaluation reads the whole item and group tables. The
    rows are the database's own, so every answer is the one ``query`` computes on the
    database; :meth:`forget` drops them after a write."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.read: dict[tuple[str, tuple[Any, ...]], list[dict[str | int, Any]]] = {}

    def execute(self, sql: str, parameters: Any = (), /) -> list[dict[str | int, Any]]:
        if not sql.lstrip().upper().startswith("SELECT"):
            raise ValueError("the sampler's snapshot only reads; write to its connection")
        key = (sql, tuple(parameters))
        rows = self.read.get(key)
        if rows is None:
            cur = self.conn.execute(sql, parameters)
            names = [col[0] for col in cur.description]
            # plain dicts (by name and by position) read faster than sqlite3.Row
            rows = [
                {**dict(zip(names, r, strict=True)), **dict(enumerate(r))} for r in cur.fetchall()
            ]
            self.read[key] = rows
        return rows

    def forget(self) -> None:
        self.read.clear()


class Sampler:
    """Draw the five levels' compositions for one design and database."""

    def __init__(
        self,
        rng: random.Random,
        cat: GrammarCategory,
        design: Design,
        conn: sqlite3.Connection,
        owners: list[tuple[int, str]],
    ) -> None:
        self.rng, self.cat, self.d, self.conn, self.owners = rng, cat, design, conn, owners
        self.db = _Snapshot(conn)
        self.groups = query._side_rows(self.db, design.group.spec())
        self.items = query._side_rows(self.db, design.item.spec())
        ranks = [a for a in design.item.attrs if cat.item.attr(a).rank]
        if len(ranks) < 2:
            raise NoComposition("a design needs two rankable item attributes")
        self.ranks = ranks
        self.additive = [a for a in ranks if cat.item.attr(a).additive]

    def answer(self, c: Composition, all_groups: bool = False) -> dict[str, Any]:
        spec = verifier_spec(self.cat, self.d, c)
        if all_groups:
            spec["scope"] = {"where": []}
        return dict(query._expected(self.db, spec))

    def rows(self, c: Composition) -> list[dict[str, Any]]:
        return list(query._candidates(self.db, verifier_spec(self.cat, self.d, c)))

    def _unique_top(self, rows: list[dict[str, Any]], attr: str, n: int) -> bool:
        values = sorted((r[attr] for r in rows), reverse=True)
        return len(values) > n and len(set(values[: n + 1])) == n + 1

    def _sound(self, c: Composition) -> bool:
        return self.unsound(c) is None

    def unsound(self, c: Composition) -> str | None:
        """Why ``c`` is not a sound task here (None when it is): its answer must be unique
        and well-defined, and every constraint must change it."""
        rows = self.rows(c)
        if len(rows) < 2:
            return f"{len(rows)} item(s) meet its constraints (at least 2 are needed)"
        if c.goal in ("best", "top"):
            n = 1 if c.goal == "best" else c.k
            vals = [r[c.attr] if c.descending else -r[c.attr] for r in rows]
            fake = [{"v": v} for v in vals]
            if not self._unique_top(fake, "v", n):
                return f"the top {n} by {c.attr} among {len(rows)} item(s) is tied or too short"
        answer = self.answer(c)
        # every constraint matters: dropping any one of them changes the answer
        for k in range(len(c.where)):
            if not differs(self.answer(replace(c, where=c.where[:k] + c.where[k + 1 :])), answer):
                return f"condition {_show(c.where[k])} does not change the answer"
            x = c.where[k]
            if x.op == "between":  # and each of its bounds
                for op, bound in (("ge", x.value[0]), ("le", x.value[1])):
                    half = (*c.where[:k], Cond(x.attr, op, bound), *c.where[k + 1 :])
                    if not differs(self.answer(replace(c, where=half)), answer):
                        return f"one bound of {_show(x)} does not change the answer"
        if c.scope_where and not differs(self.answer(c, all_groups=True), answer):
            return "the condition(s) on groups do not change the answer"
        union = c.scope_where and c.scope_names
        if union and not differs(self.answer(replace(c, scope_names=())), answer):
            return "the named group beside the join does not change the answer"
        # the perturbed control (last condition dropped) still has k items to rank
        short = c.goal == "top" and len(self.rows(c.without_last_condition())) < c.k
        if c.where and short:
            return f"without its last condition fewer than {c.k} items are left to rank"
        return None

    def _fit(self, c: Composition, below: Fit) -> Fit | None:
        return step(self.cat, self.d, c, self.db, below)

    def _pick(self, options: list[Composition], below: Fit) -> tuple[Composition, Fit]:
        for c in options:
            fit = self._fit(c, below)
            if fit is not None and self._sound(c):
                return c, fit
        raise NoComposition("no sound composition harder than the level below among the options")

    def ladder(self) -> dict[int, Composition]:
        rng, cat = self.rng, self.cat
        by_group: dict[int, list[dict[str, Any]]] = {}
        for r in self.items:
            by_group.setdefault(r["_group"], []).append(r)
        big = [g for g in self.groups if len(by_group.get(g["id"], [])) >= 5]
        if len(big) < 2:
            raise NoComposition("too few groups with items")
        g1, g2 = rng.sample(big, 2)
        label = cat.group.label
        name1, name2 = str(g1[label]), str(g2[label])
        attrs = self.d.item.attrs
        # L1: one group, one condition
        c1s = _conds(rng, cat.item, attrs, by_group[g1["id"]])
        l1, fit1 = self._pick(
            [
                Composition(where=(c,), goal=rng.choice(("list", "count")), scope_names=(name1,))
                for c in c1s
            ],
            GROUND,
        )
        c1 = l1.where[0]
        # L2: a second group and a second condition; an arg-max/min or an aggregate
        pool = [r for r in by_group[g1["id"]] + by_group[g2["id"]] if _holds(r, c1)]
        c2s = [c for c in _conds(rng, cat.item, attrs, pool) if c.attr != c1.attr]
        goals = rng.sample(("best", "sum", "max", "min"), 4)
        desc = rng.random() < 0.5
        l2, fit2 = self._pick(
            [
                Composition(
                    where=(c1, c), goal=goal, scope_names=(name1, name2), attr=attr, descending=desc
                )
                for goal in goals
                for attr in rng.sample(self.ranks, len(self.ranks))
                for c in c2s
                if goal != "sum" or attr in self.additive
            ][:60],
            fit1,
        )
        # L3: the groups meeting a condition (a join) instead of named ones
        joins = [
            c
            for c in _conds(rng, cat.group, self.d.group.attrs, self.groups)
            if sum(1 for g in self.groups if _holds(g, c)) >= 2
        ]
        goal3 = rng.choice(("best", "top"))
        attr3 = rng.choice(self.ranks)
        options = []
        for j in joins:
            options.append(
                Composition(
                    where=l2.where, goal=goal3, scope_where=(j,), attr=attr3, descending=desc
                )
            )
            scoped = [
                r
                for r in self.items
                if _holds(r, c1)
                and any(g["id"] == r["_group"] and _holds(g, j) for g in self.groups)
            ]
            for c in _conds(rng, cat.item, attrs, scoped):
                if c.attr != c1.attr:
                    options.append(
                        Composition(
                            where=(c1, c), goal=goal3, scope_where=(j,), attr=attr3, descending=desc
                        )
                    )
        # L3's sound options, each tried with L4 and L5 on top (a little backtracking)
        for l3, fit3 in self._sound_ones(options[:60], 6, fit2):
            for l4, fit4 in self._sound_ones(self._l4_options(l3), 4, fit3):
                l5 = self._l5(l4, fit4)
                if l5 is not None:
                    return {1: l1, 2: l2, 3: l3, 4: l4, 5: l5}
        raise NoComposition("no sound L3-L5, each harder than the level below, on this world")

    def _sound_ones(
        self, options: list[Composition], limit: int, below: Fit
    ) -> Iterator[tuple[Composition, Fit]]:
        """Up to ``limit`` of ``options`` that are sound and harder than ``below``."""
        found = 0
        for c in options:
            if found >= limit:
                return
            fit = self._fit(c, below)
            if fit is not None and self._sound(c):
                found += 1
                yield c, fit

    def _l4_options(self, l3: Composition) -> list[Composition]:
        """L4: one more named group beside the join (a union), an ordered top-3 and the total
        of another attribute."""
        rng, label = self.rng, self.cat.group.label
        outside = [g for g in self.groups if not all(_holds(g, j) for j in l3.scope_where)]
        options = []
        for attr in [l3.attr, *(a for a in self.ranks if a != l3.attr)]:
            totals = [a for a in self.additive if a != attr]
            total = rng.choice(totals) if totals else ""
            for down in (l3.descending, not l3.descending):
                options += [
                    replace(
                        l3,
                        goal="top",
                        k=3,
                        total=total,
                        attr=attr,
                        descending=down,
                        scope_names=(str(g[label]),),
                    )
                    for g in rng.sample(outside, len(outside))
                ]
        return options[:40]

    def _l5(self, l4: Composition, below: Fit) -> Composition | None:
        """L5: L4's scope and conditions, an arg-max / arg-min, the precondition and a write
        for a named owner; the best item ignoring capacity has none left. None when no such
        task is sound, or its plan is not longer than L4's (``below``)."""
        owner_id, owner = self.rng.choice(self.owners)
        # the plan reads what L4's does, then looks the owner up and writes: its length does
        # not depend on the ranked attribute or the direction tried below
        if self._fit(replace(l4, goal="best", total="", write=True), below) is None:
            return None
        for attr in [l4.attr, *(a for a in self.ranks if a != l4.attr)]:
            for down in (l4.descending, not l4.descending):
                c5 = replace(
                    l4,
                    goal="best",
                    k=3,
                    total="",
                    write=True,
                    owner=owner,
                    owner_id=owner_id,
                    attr=attr,
                    descending=down,
                )
                planted = self._plant_full(c5)
                if planted is None:
                    continue
                if self._sound(c5):
                    return c5
                self._set_cap(*planted)  # undo the planting
        return None

    def _set_cap(self, item_id: int, cap: int) -> None:
        item = self.d.item
        self.conn.execute(
            f'UPDATE "{item.table}" SET "{item.cap}" = ? WHERE id = ?', (cap, item_id)
        )
        self.db.forget()

    def _plant_full(self, c: Composition) -> tuple[int, int] | None:
        """Give the best item ignoring capacity none left (the precondition then decides);
        its id and former capacity, or None when too few items qualify."""
        rows = self.rows(replace(c, write=False))
        if len(rows) < 3:
            return None
        sign = 1 if c.descending else -1
        best = max(rows, key=lambda r: (sign * r[c.attr], -r["id"]))
        self._set_cap(best["id"], 0)
        return best["id"], best["_cap"]


def toolset_plan(
    cat: GrammarCategory, d: Design, ladder: dict[int, Composition], conn: sqlite3.Connection
) -> tuple[tuple[str, ...], dict[int, tuple[int, tuple[str, ...], int]]]:
    """Which tools the levels add to the design's v1, and per level its toolset version, the
    tools it may use beyond v1 and its plan's call count.

    Levels are walked in order, each placed by :func:`step` above the one below: that level
    and every later one use a tool added for it. The write makes the last version. A level
    over the budget even so, or whose plan is not longer than the level below's, is not a
    sound ladder (NoComposition; :class:`Sampler` draws only ladders that pass)."""
    below = GROUND
    out: dict[int, tuple[int, tuple[str, ...], int]] = {}
    for level in sorted(ladder):
        fit = step(cat, d, ladder[level], conn, below)
        if fit is None:
            calls = codegen.plan_calls(cat, d, ladder[level], conn, below[0])
            raise NoComposition(
                f"level {level}'s plan ({calls} calls on its toolset) is over the budget "
                f"({CALL_BUDGET}) or not longer than the level below's ({below[1]})"
            )
        below = fit
        added, calls = fit
        out[level] = (len(added) + 1, added, calls)
    added = below[0]
    write = len(added) + 2
    return added, {
        level: (write if ladder[level].write else version, tools, calls)
        for level, (version, tools, calls) in out.items()
    }


def place(
    cat: GrammarCategory,
    d: Design,
    c: Composition,
    conn: sqlite3.Connection,
    added: tuple[str, ...],
) -> tuple[int, tuple[str, ...], int]:
    """Where one more composition goes on an environment whose versions add ``added`` to v1:
    the earliest version whose plan fits :data:`CALL_BUDGET` (the write's version for a
    write), as :func:`toolset_plan` places a level. NoComposition when none does."""
    for k in range(len(added) + 1):
        calls = codegen.plan_calls(cat, d, c, conn, added[:k])
        if calls <= CALL_BUDGET:
            return (len(added) + 2 if c.write else k + 1), added[:k], calls
    raise NoComposition(f"its plan needs {calls} tool calls (budget {CALL_BUDGET})")
