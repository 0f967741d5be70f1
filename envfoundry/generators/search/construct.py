"""Build a question from an anchor entity: a chain of hops, narrowing constraints, wording.

The construction side works on raw graph data (entity ids, numeric attributes) through
:class:`ConstraintIndex`; the verifier (:mod:`.verify`) re-derives the answer from what
the pages *state*, on its own path.
"""

from __future__ import annotations

import bisect
import math
import random
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from envfoundry.envs.search.graph import Entity, Graph
from envfoundry.envs.search.pages import fact_line
from envfoundry.errors import GenerationError
from envfoundry.generators.search.schema import (
    ANSWERS,
    CONSTRAINTS,
    FORM_HINTS,
    HOPS,
    NOUNS,
    Language,
)
from envfoundry.generators.search.spec import Constraint, EvidenceStep, QuestionPlan
from envfoundry.verifiers.answers import AnswerKey, normalize_text

SHORT_NOUNS: dict[str, tuple[str, str]] = {**NOUNS, "subdivision": ("subdivision", "行政区")}
_RANGE_STEPS: dict[str, tuple[float, ...]] = {
    "latitude": (0.5, 1.0, 2.0),
    "longitude": (0.5, 1.0, 2.0),
    "elevation_ft": (100.0, 200.0, 500.0),
}


def fold_initial(text: str, length: int = 1) -> str | None:
    """The first ``length`` letters/digits of ``text``, diacritics removed, upper-case."""
    base = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).upper()
    head = base[:length]
    return head if len(head) == length and head.isascii() and head.isalnum() else None


def _prefix_source(entity: Entity, key: str) -> str | None:
    value = entity.name if key == "name" else entity.attrs.get(key)
    return value if isinstance(value, str) else None


class ConstraintIndex:
    """Which entities satisfy a constraint, from raw data (built once, then read-only)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._eq: dict[tuple[str, str], dict[str, frozenset[str]]] = {}
        self._prefix: dict[tuple[str, str, int], dict[str, frozenset[str]]] = {}
        self._sorted: dict[tuple[str, str], tuple[list[float], list[str]]] = {}
        self._universe: dict[str, frozenset[str]] = {}
        self._by_popularity: dict[str, tuple[str, ...]] = {}
        ordered = sorted(graph.iter_entities(), key=lambda e: (e.type, -e.popularity, e.id))
        self._rank = {e.id: i for i, e in enumerate(ordered)}

    def universe(self, etype: str) -> frozenset[str]:
        """Every entity id of ``etype``."""
        found = self._universe.get(etype)
        if found is None:
            found = self._universe[etype] = frozenset(e.id for e in self.graph.of_type(etype))
        return found

    def most_popular_first(self, etype: str, ids: frozenset[str], limit: int) -> list[str]:
        """Up to ``limit`` of ``ids`` (all of type ``etype``), most popular first.

        Ties break on the id, so the order is deterministic. A large set is scanned in the
        type's popularity order (its members turn up early); a small one is ranked.
        """
        ranked = self._by_popularity.get(etype)
        if ranked is None:
            ranked = self._by_popularity[etype] = tuple(
                e.id for e in sorted(self.graph.of_type(etype), key=lambda e: (-e.popularity, e.id))
            )
        if len(ids) * 16 < len(ranked):
            rank = self._rank
            return sorted(ids, key=rank.__getitem__)[:limit]
        out = []
        for eid in ranked:
            if eid in ids:
                out.append(eid)
                if len(out) == limit:
                    break
        return out

    def _eq_table(self, etype: str, key: str) -> dict[str, frozenset[str]]:
        table = self._eq.get((etype, key))
        if table is None:
            groups: dict[str, set[str]] = defaultdict(set)
            for e in self.graph.of_type(etype):
                v = e.rels.get(key) if key in e.rels else e.attrs.get(key)
                if v is not None:
                    groups[str(v)].add(e.id)
            table = self._eq[(etype, key)] = {k: frozenset(v) for k, v in groups.items()}
        return table

    def _prefix_table(self, etype: str, key: str, length: int) -> dict[str, frozenset[str]]:
        table = self._prefix.get((etype, key, length))
        if table is None:
            groups: dict[str, set[str]] = defaultdict(set)
            for e in self.graph.of_type(etype):
                src = _prefix_source(e, key)
                head = fold_initial(src, length) if src else None
                if head:
                    groups[head].add(e.id)
            table = self._prefix[(etype, key, length)] = {
                k: frozenset(v) for k, v in groups.items()
            }
        return table

    def _sorted_table(self, etype: str, key: str) -> tuple[list[float], list[str]]:
        table = self._sorted.get((etype, key))
        if table is None:
            rows = sorted(
                (float(e.attrs[key]), e.id)
                for e in self.graph.of_type(etype)
                if isinstance(e.attrs.get(key), int | float)
            )
            table = self._sorted[(etype, key)] = ([r[0] for r in rows], [r[1] for r in rows])
        return table

    def matching(self, etype: str, c: Constraint) -> frozenset[str]:
        if c.kind in ("rel", "eq"):
            return self._eq_table(etype, c.key).get(c.value or "", frozenset())
        if c.kind == "prefix":
            value = c.value or ""
            return self._prefix_table(etype, c.key, len(value)).get(value, frozenset())
        values, ids = self._sorted_table(etype, c.key)
        lo = bisect.bisect_left(values, c.low if c.low is not None else -math.inf)
        hi = bisect.bisect_left(values, c.high if c.high is not None else math.inf)
        return frozenset(ids[lo:hi])

    def candidates(self, etype: str, constraints: tuple[Constraint, ...]) -> frozenset[str]:
        """Ids of the entities of ``etype`` satisfying every constraint."""
        sets = sorted((self.matching(etype, c) for c in constraints), key=len)
        if not sets:
            return self.universe(etype)
        out = sets[0]
        for s in sets[1:]:
            out = out & s
        return out


def build_chain(
    rng: random.Random, graph: Graph, anchor: Entity, depth: int
) -> tuple[list[Entity], tuple[str, ...]] | None:
    """A path of ``depth`` functional hops from ``anchor`` visiting no entity twice, and
    the relations it follows."""

    def extend(
        path: list[Entity], hops: tuple[str, ...]
    ) -> tuple[list[Entity], tuple[str, ...]] | None:
        if len(path) == depth + 1:
            return path, hops
        cur = path[-1]
        options = [r for r in HOPS.get(cur.type, {}) if r in cur.rels]
        rng.shuffle(options)
        seen = {e.id for e in path}
        for rel in options:
            nxt = graph.get(cur.rels[rel])
            if nxt is None or nxt.id in seen or nxt.type != HOPS[cur.type][rel][0]:
                continue
            done = extend([*path, nxt], (*hops, rel))
            if done is not None:
                return done
        return None

    return extend([anchor], ())


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}".rstrip("0").rstrip(".")


def constraint_options(
    graph: Graph, anchor: Entity, key: str, language: Language
) -> list[Constraint]:
    """Constraints on ``key`` that ``anchor`` satisfies: one per range width or prefix length."""
    kind = CONSTRAINTS[anchor.type][key][0]
    if kind == "rel":
        target = graph.follow(anchor, key)
        if target is None:
            return []
        return [Constraint(kind="rel", key=key, value=target.id, stated=target.display(language))]
    if kind == "eq":
        value = anchor.attrs.get(key)
        return (
            []
            if value is None
            else [Constraint(kind="eq", key=key, value=str(value), stated=str(value))]
        )
    if kind == "prefix":
        src = _prefix_source(anchor, key)
        heads = [fold_initial(src, n) if src else None for n in ((2,) if key == "icao" else (1, 2))]
        return [Constraint(kind="prefix", key=key, value=h, stated=h) for h in heads if h]
    value = anchor.attrs.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return []
    if key in _RANGE_STEPS:
        steps = _RANGE_STEPS[key]
    else:
        magnitude = 10 ** math.floor(math.log10(max(1.0, abs(float(value)))))
        steps = tuple(dict.fromkeys(max(1.0, magnitude * f) for f in (0.1, 0.2, 0.5, 1.0)))
    out = []
    for step in steps:
        low = round(math.floor(float(value) / step) * step, 2)
        high = round(low + step, 2)
        out.append(
            Constraint(
                kind="range", key=key, low=low, high=high, stated=f"{_fmt(low)}|{_fmt(high)}"
            )
        )
    return out


@dataclass(frozen=True)
class Choice:
    """The constraints picked for an anchor and how many entities they admit."""

    constraints: tuple[Constraint, ...]
    pool: int
    defeats_shortcuts: bool


def choose_constraints(
    rng: random.Random,
    index: ConstraintIndex,
    chain: list[Entity],
    hops: tuple[str, ...],
    breadth: int,
    language: Language,
    defeats: Callable[[frozenset[str]], bool],
    budget: int = 250,
) -> Choice | None:
    """``breadth`` constraints (distinct keys) that admit only the anchor, each one needed.

    A depth-first search over the anchor's constraint options in a seeded order. A
    combination is complete when it admits exactly the anchor and, for every constraint,
    the entities admitted by the others are several and ``defeats`` them (the caller's
    test that guessing among them misses the answer). The best combination seen is
    returned when none completes (its pool tells how far from unique it was); ``None``
    when the anchor has fewer than ``breadth`` usable facts.
    """
    anchor = chain[0]
    in_chain = {e.id for e in chain}
    options: list[tuple[Constraint, frozenset[str]]] = []
    for key in CONSTRAINTS.get(anchor.type, {}):
        if key == hops[0]:
            continue
        for c in constraint_options(index.graph, anchor, key, language):
            if c.kind == "rel" and c.value in in_chain:
                continue
            matched = index.matching(anchor.type, c)
            if anchor.id not in matched:
                raise GenerationError(f"constraint {c} excludes its own anchor {anchor.id}")
            options.append((c, matched))
    if len({c.key for c, _ in options}) < breadth:
        return None
    rng.shuffle(options)
    universe = index.universe(anchor.type)
    best: list[Choice] = []
    left = [budget]

    def complete(chosen: list[tuple[Constraint, frozenset[str]]], pool: frozenset[str]) -> Choice:
        ok = len(pool) == 1
        for i in range(len(chosen)):
            if not ok:
                break
            rest = [s for j, (_, s) in enumerate(chosen) if j != i]
            others = frozenset.intersection(*rest) if rest else universe
            ok = len(others) > 1 and defeats(others)
        return Choice(tuple(c for c, _ in chosen), len(pool), ok)

    def dfs(
        start: int, chosen: list[tuple[Constraint, frozenset[str]]], pool: frozenset[str]
    ) -> Choice | None:
        if len(chosen) == breadth:
            choice = complete(chosen, pool)
            if not best or (choice.pool, not choice.defeats_shortcuts) < (
                best[0].pool,
                not best[0].defeats_shortcuts,
            ):
                best[:] = [choice]
            return choice if choice.pool == 1 and choice.defeats_shortcuts else None
        keys = {c.key for c, _ in chosen}
        for j in range(start, len(options)):
            if left[0] <= 0:
                return None
            left[0] -= 1
            c, matched = options[j]
            if c.key in keys:
                continue
            narrowed = pool & matched
            last = len(chosen) + 1 == breadth
            if len(narrowed) == len(pool) or (not last and len(narrowed) == 1):
                continue
            found = dfs(j + 1, [*chosen, (c, matched)], narrowed)
            if found is not None:
                return found
        return None

    found = dfs(0, [], universe)
    return found or (best[0] if best else None)


def answer_key(final: Entity, key: str, language: Language) -> AnswerKey:
    form, *_rest, abs_tol, rel_tol = ANSWERS[final.type][key]
    if form == "name":
        value = final.display(language)
        names = [final.name, final.name_zh or "", *final.aliases]
        aliases = tuple(dict.fromkeys(n for n in names if n and n != value))
        return AnswerKey(form="name", value=value, aliases=aliases)
    raw = final.attrs[key]
    if form == "number":
        unit = "ft" if key == "elevation_ft" else "km²" if key == "area_km2" else None
        return AnswerKey(
            form="number", value=float(raw), abs_tol=abs_tol, rel_tol=rel_tol, unit=unit
        )
    value = str(raw)
    aliases = (str(int(value)),) if value.isdigit() and value != str(int(value)) else ()
    return AnswerKey(form="code", value=value, aliases=aliases)


def _join(parts: list[str], language: Language) -> str:
    if language == "zh":
        return "，".join(parts)
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + ", and " + parts[-1]


def constraint_phrase(anchor_type: str, c: Constraint, language: Language) -> str:
    _kind, en, zh = CONSTRAINTS[anchor_type][c.key]
    template = zh if language == "zh" else en
    if c.kind == "range":
        low, high = c.stated.split("|")
        return template.format(low=low, high=high)
    return template.format(value=c.stated)


def render_question(plan: QuestionPlan, chain: tuple[Entity, ...], language: Language) -> str:
    zh = language == "zh"
    li = 1 if zh else 0
    noun = NOUNS[plan.anchor_type][li]
    phrases = [constraint_phrase(plan.anchor_type, c, language) for c in plan.constraints]
    steps = [HOPS[a.type][rel][1 + li] for a, rel in zip(chain, plan.hops, strict=False)]
    final_noun = SHORT_NOUNS[chain[-1].type][li]
    _form, label_en, label_zh, *_tol = ANSWERS[chain[-1].type][plan.answer_key]
    hint = FORM_HINTS[ANSWERS[chain[-1].type][plan.answer_key][0]][li]
    if zh:
        return (
            f"有一个{noun}，它{_join(phrases, language)}。"
            f"从它出发，依次找到{'，然后是'.join(steps)}。"
            f"这个{final_noun}的{label_zh}是什么？{hint}"
        )
    return (
        f"Find the {noun} that {_join(phrases, language)}. "
        f"From it, go to {', then to '.join(steps)}. "
        f"What is the {label_en} of that {final_noun}? {hint}"
    )


def evidence_chain(
    graph: Graph, plan: QuestionPlan, chain: tuple[Entity, ...]
) -> tuple[EvidenceStep, ...]:
    """Each page of the chain with the lines it contributes (constraints, hop, answer)."""
    steps = []
    for i, ent in enumerate(chain):
        keys: list[str] = []
        if i == 0:
            keys += [c.key for c in plan.constraints]
        if i < len(plan.hops):
            keys.append(plan.hops[i])
        if i == len(chain) - 1:
            keys.append(plan.answer_key)
        facts = []
        for key in keys:
            line = ent.name if key == "name" else fact_line(graph, ent, key)
            if line is not None and line not in facts:
                facts.append(line)
        steps.append(EvidenceStep(page_id=ent.id, title=ent.name, facts=tuple(facts)))
    return tuple(steps)


def leaks_answer(question: str, key: AnswerKey) -> bool:
    """Whether the question already spells out the answer (a name or code in its text)."""
    if key.form == "number":
        return False
    text = f" {normalize_text(question)} "
    # Two-letter aliases ("IN", "IS") are codes that collide with words; the value itself
    # is checked at any length.
    for i, s in enumerate((str(key.value), *key.aliases)):
        n = normalize_text(s)
        if len(n) < (2 if i == 0 else 3):
            continue
        if f" {n} " in text or (not n.isascii() and n in text):
            return True
    return False
