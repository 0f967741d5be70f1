"""Re-derive a question's answer from what the corpus pages state, apart from construction.

Construction works on the graph's raw data; this module reads only the indexed pages
(their ``Label: value`` lines, titles and links), so a question survives only if the
corpus a policy searches supports it:

1. *unique* — every page of the anchor's type is tested against the constraints as the
   question words them; exactly one must pass;
2. *chain* — from that page each hop is followed through the page's own line and links
   (the linked page whose title the line names); the last page states the answer;
3. *evidence* — the recorded evidence pages are the walked pages and state each fact;
   the stated answer and the answer key's own value both pass the answer matcher.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from envfoundry.envs.search.index import SearchIndex
from envfoundry.envs.search.pages import LABELS
from envfoundry.envs.search.source import Page
from envfoundry.generators.search.schema import HOPS
from envfoundry.generators.search.spec import Constraint, EvidenceStep, QuestionPlan
from envfoundry.verifiers.answers import AnswerKey, match_answer, normalize_text, parse_number

_ZH_PREFIX = "中文名称："


def _initial(text: str, length: int) -> str:
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return folded[:length].upper()


def page_facts(text: str) -> dict[str, str]:
    """``Label: value`` lines of a page (the first occurrence of each label)."""
    out: dict[str, str] = {}
    for line in text.split("\n")[1:]:
        label, sep, value = line.partition(": ")
        if sep and label not in out:
            out[label] = value
    return out


class FactBase:
    """Every page's type, title, Chinese name and stated facts, read from an index once."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        self.type_of: dict[str, str] = {}
        self.title: dict[str, str] = {}
        self.facts: dict[str, dict[str, str]] = {}
        self.by_type: dict[str, list[str]] = defaultdict(list)
        self._names: dict[tuple[str, str], set[str]] = defaultdict(set)
        for pid, title, text in index.rows():
            etype = pid.split("/", 1)[0]
            self.type_of[pid] = etype
            self.title[pid] = title
            self.facts[pid] = page_facts(text)
            self.by_type[etype].append(pid)
            self._names[(etype, title)].add(title)
            for line in text.split("\n")[1:4]:
                if line.startswith(_ZH_PREFIX):
                    zh = line[len(_ZH_PREFIX) :].split("。", 1)[0].split("（", 1)[0]
                    self._names[(etype, zh)].add(title)
        self._eq: dict[tuple[str, str], dict[str, list[str]]] = {}
        self._num: dict[tuple[str, str], tuple[list[float], list[str]]] = {}
        self._prefixes: dict[tuple[str, str, int], dict[str, list[str]]] = {}

    def titles_named(self, etype: str, stated: str) -> set[str]:
        """English titles of the pages of ``etype`` called ``stated`` (in either language)."""
        return self._names.get((etype, stated), set())

    def _eq_table(self, etype: str, label: str) -> dict[str, list[str]]:
        table = self._eq.get((etype, label))
        if table is None:
            table = defaultdict(list)
            for pid in self.by_type.get(etype, ()):
                value = self.facts[pid].get(label)
                if value is not None:
                    table[value].append(pid)
            self._eq[(etype, label)] = table
        return table

    def _prefix_table(self, etype: str, key: str, length: int) -> dict[str, list[str]]:
        table = self._prefixes.get((etype, key, length))
        if table is None:
            label = None if key == "name" else LABELS[etype].get(key)
            table = defaultdict(list)
            for pid in self.by_type.get(etype, ()):
                text = self.title[pid] if label is None else self.facts[pid].get(label, "")
                table[_initial(text, length)].append(pid)
            self._prefixes[(etype, key, length)] = table
        return table

    def _num_table(self, etype: str, label: str) -> tuple[list[float], list[str]]:
        table = self._num.get((etype, label))
        if table is None:
            rows = []
            for pid in self.by_type.get(etype, ()):
                value = parse_number(self.facts[pid].get(label, ""))
                if value is not None:
                    rows.append((value, pid))
            rows.sort()
            table = self._num[(etype, label)] = ([r[0] for r in rows], [r[1] for r in rows])
        return table

    def satisfying(self, etype: str, c: Constraint) -> set[str]:
        """Pages of ``etype`` whose stated facts satisfy ``c`` as the question words it."""
        if c.kind == "prefix":
            return set(self._prefix_table(etype, c.key, len(c.stated)).get(c.stated.upper(), ()))
        label = LABELS[etype][c.key]
        if c.kind == "rel":
            table = self._eq_table(etype, label)
            return {pid for t in self.titles_named(c.key, c.stated) for pid in table.get(t, ())}
        if c.kind == "eq":
            return set(self._eq_table(etype, label).get(c.stated, ()))
        values, ids = self._num_table(etype, label)
        lo = bisect.bisect_left(values, c.low if c.low is not None else float("-inf"))
        hi = bisect.bisect_left(values, c.high if c.high is not None else float("inf"))
        return set(ids[lo:hi])

    def solve(self, plan: QuestionPlan) -> set[str]:
        # Own order: equalities first (small sets), then ranges, prefixes last.
        order = {"rel": 0, "eq": 1, "range": 2, "prefix": 3}
        result: set[str] | None = None
        for c in sorted(plan.constraints, key=lambda c: (order[c.kind], c.key)):
            matched = self.satisfying(plan.anchor_type, c)
            result = matched if result is None else result & matched
            if not result:
                break
        return result or set()


@lru_cache(maxsize=4)
def fact_base(index_path: str) -> FactBase:
    return FactBase(SearchIndex(index_path))


@dataclass(frozen=True)
class Derivation:
    """The outcome of re-deriving a plan: pages walked and the stated answer, or why not."""

    ok: bool
    reason: str
    stage: str = "verify"
    pages: tuple[str, ...] = ()
    stated_answer: str | None = None
    matches: int = 0


def _fail(
    stage: str,
    reason: str,
    pages: tuple[str, ...] = (),
    stated_answer: str | None = None,
    matches: int = 0,
) -> Derivation:
    return Derivation(
        ok=False,
        reason=reason,
        stage=stage,
        pages=pages,
        stated_answer=stated_answer,
        matches=matches,
    )


def derive(facts: FactBase, plan: QuestionPlan, key: AnswerKey) -> Derivation:
    """Passes 1 and 2: the unique anchor, then the chain through pages and links."""
    anchors = facts.solve(plan)
    if len(anchors) != 1:
        reason = "no page satisfies the constraints" if not anchors else "constraints admit several"
        return _fail("unique", reason, matches=len(anchors))
    (pid,) = anchors
    page: Page = facts.index.open_page(pid)
    walked = [pid]
    for hop in plan.hops:
        etype = facts.type_of[page.id]
        label = LABELS[etype].get(hop)
        stated = page_facts(page.text).get(label or "")
        if label is None or stated is None:
            return _fail("verify", f"page {page.id} does not state its {hop}", pages=tuple(walked))
        target_type = HOPS[etype][hop][0]
        linked = [
            link
            for link in page.links
            if facts.type_of.get(link) == target_type and facts.title.get(link) == stated
        ]
        if len(linked) != 1:
            return _fail(
                "verify",
                f"page {page.id} links {len(linked)} pages named {stated!r}",
                pages=tuple(walked),
            )
        page = facts.index.open_page(linked[0])
        walked.append(page.id)
    etype = facts.type_of[page.id]
    if plan.answer_key == "name":
        answer = page.title
    else:
        answer = page_facts(page.text).get(LABELS[etype].get(plan.answer_key, ""), "")
    if not answer:
        return _fail("verify", f"page {page.id} does not state the answer", pages=tuple(walked))
    if not match_answer(answer, key).passed:
        return _fail(
            "verify",
            "the stated answer differs from the constructed one",
            pages=tuple(walked),
            stated_answer=answer,
        )
    return Derivation(
        ok=True, reason="derived", pages=tuple(walked), stated_answer=answer, matches=1
    )


def check_evidence(
    facts: FactBase, evidence: tuple[EvidenceStep, ...], derivation: Derivation
) -> str | None:
    """Pass 3: the evidence is the walked chain and every fact is a line of its page."""
    if tuple(s.page_id for s in evidence) != derivation.pages:
        return "the evidence chain differs from the re-derived chain"
    for step in evidence:
        lines = set(facts.index.open_page(step.page_id).text.split("\n"))
        missing = [f for f in step.facts if f not in lines]
        if missing:
            return f"page {step.page_id} does not state {missing[0]!r}"
    return None


def verify_plan(
    facts: FactBase, plan: QuestionPlan, key: AnswerKey, evidence: tuple[EvidenceStep, ...]
) -> Derivation:
    """All passes; ``ok`` only when the answer is unique, re-derived and evidenced."""
    derivation = derive(facts, plan, key)
    if not derivation.ok:
        return derivation
    problem = check_evidence(facts, evidence, derivation)
    if problem is not None:
        return _fail("verify", problem, pages=derivation.pages)
    if not match_answer(key.model_dump(mode="json")["value"], key).passed:
        return _fail(
            "verify", "the answer key does not accept its own value", pages=derivation.pages
        )
    return derivation


def page_states(fact: str, text: str) -> bool:
    """Whether a line of ``text`` states ``fact``: its normalized words, whole, in one line
    (``Population: 1`` is not stated by ``Population: 1234``)."""
    want = normalize_text(fact)
    if not want:
        return False
    if not want.isascii():  # CJK lines carry no spaces between words
        return any(want in normalize_text(line) for line in text.split("\n"))
    return any(f" {want} " in f" {normalize_text(line)} " for line in text.split("\n"))
