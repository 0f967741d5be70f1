"""The search family's LLM driver: agents with the ``search`` / ``open_page`` tools build,
verify and attack a question over any knowledge source.

One proposal, deterministic in its draws (``random.Random(f"{seed}:{index}")``):

1. a long-tail anchor page is sampled (the graph's long-tail sampler; for a corpus
   without a graph, pages with the fewest inbound links first; or the configured seeds);
2. the *construction agent* explores from it with the episode's own tools and writes a
   QA pair as JSON: question, answer and its declared form, the constraints it used and
   the evidence chain (page ids and the facts each page states);
3. the pipeline checks the contract, that every evidence page was opened by the agent and
   states its facts, that the last page states the answer, and — when the corpus has a
   knowledge graph — that the chain is linked there and the answer is a fact of the last
   entity;
4. the *verification agent* re-checks the ground truth (answer correct and unique) over
   ``verify_passes`` independent runs;
5. candidates that must all be wrong: the procedural shortcuts that need no graph (top
   search hit, one hop short, the anchor) and LLM answerers with different temperatures
   and step budgets; with ``judge`` on, an LLM judge also counts a free-text answer the
   matcher rejects as right when it means the same (stricter, never looser).

Every drop is a :class:`Rejection` with its stage and reason, like the procedural driver's.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from envfoundry.envs.search.source import Page, PageNotFoundError
from envfoundry.envs.search.tools import SEARCH_TOOLS, call_tool
from envfoundry.errors import LLMError
from envfoundry.generators.llm import Agent, AgentConfig, LLMClient, Trajectory
from envfoundry.generators.llm.structured import parse_json, schema_problem
from envfoundry.generators.search.candidates import answer_of
from envfoundry.generators.search.construct import leaks_answer
from envfoundry.generators.search.llm_prompts import (
    ANSWER_SYSTEM,
    CONSTRUCT_PROMPT,
    CONSTRUCT_SCHEMA,
    CONSTRUCT_SYSTEM,
    JUDGE_PROMPT,
    JUDGE_SCHEMA,
    LANGUAGE_NAMES,
    VERIFY_PROMPT,
    VERIFY_SCHEMA,
    VERIFY_SYSTEM,
)
from envfoundry.generators.search.llm_sources import LLMContext
from envfoundry.generators.search.schema import FORM_HINTS, Language
from envfoundry.generators.search.spec import (
    CandidateOutcome,
    EvidenceStep,
    Rejection,
    RejectionStage,
    SearchTask,
)
from envfoundry.generators.search.verify import page_facts, page_states
from envfoundry.verifiers.answers import AnswerKey, match_answer, normalize_text, parse_number

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class AnswererConfig(BaseModel):
    """One LLM answerer: its sampling temperature and its tool-call budget."""

    model_config = _FROZEN
    temperature: float = Field(ge=0.0, le=2.0)
    max_steps: int = Field(ge=1, le=200)

    @property
    def label(self) -> str:
        return f"llm:t={self.temperature:g},steps={self.max_steps}"


class SearchLLMConfig(BaseModel):
    """Budgets of the LLM driver's agents and its candidate answerers."""

    model_config = _FROZEN
    construct_steps: int = Field(default=24, ge=2, le=200, description="construction agent")
    verify_passes: int = Field(default=1, ge=1, le=5, description="verification agent runs")
    verify_steps: int = Field(default=16, ge=1, le=200)
    answerers: tuple[AnswererConfig, ...] = Field(
        default=(
            AnswererConfig(temperature=0.0, max_steps=8),
            AnswererConfig(temperature=0.8, max_steps=16),
        ),
        description="LLM answerers that must all be wrong",
    )
    judge: bool = Field(default=False, description="LLM judge for free-text (name) answers")


@dataclass(frozen=True)
class Clients:
    """The LLM clients of the three agent roles (one endpoint or one per role)."""

    proposer: LLMClient
    verifier: LLMClient
    solver: LLMClient


def _final_json(traj: Trajectory, schema: dict[str, Any]) -> tuple[Any, str | None]:
    if traj.stop_reason != "answered":
        return None, f"the agent stopped ({traj.stop_reason}): {traj.error or 'no answer'}"
    try:
        value = parse_json(traj.final_answer)
    except ValueError as exc:
        return None, f"its reply is not JSON: {exc}"
    problem = schema_problem(value, schema)
    return value, (None if problem is None else f"its JSON breaks the contract {problem}")


def _opened(traj: Trajectory) -> set[str]:
    return {
        str(c.arguments.get("page_id"))
        for c in traj.tool_calls
        if c.name == "open_page" and not c.error and isinstance(c.arguments, dict)
    }


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def answer_label(page: Page, last_facts: tuple[str, ...], key: AnswerKey) -> str | None:
    """The ``Label`` of the last page's ``Label: value`` line that states the answer
    (``None`` when the answer is the page's title or no such line exists)."""
    for fact in last_facts:
        for line in page.text.split("\n"):
            label, sep, value = line.partition(": ")
            if sep and page_states(fact, line) and match_answer(value, key).passed:
                return label
    return None


def read_answer(page: Page, label: str | None) -> str | None:
    """What an answerer that stopped at ``page`` would answer: the labelled value or the title."""
    if label is None:
        return page.title
    return page_facts(page.text).get(label)


class LLMSearchDriver:
    """Proposes search tasks with LLM agents; same outcome type as the procedural driver."""

    name = "llm"

    def __init__(
        self,
        clients: Clients,
        ctx: LLMContext,
        cfg: SearchLLMConfig,
        *,
        depths: tuple[int, ...],
        breadths: tuple[int, ...],
        languages: tuple[Language, ...],
    ) -> None:
        self.clients = clients
        self.ctx = ctx
        self.cfg = cfg
        self.depths, self.breadths, self.languages = depths, breadths, languages
        self.tools = [(spec, self._tool(spec.name)) for spec in SEARCH_TOOLS]

    def _tool(self, name: str) -> Callable[..., Any]:
        def run(**args: Any) -> dict[str, Any]:
            return call_tool(self.ctx.source, name, args)

        return run

    def _agent(self, client: LLMClient, steps: int, **sampling: Any) -> Agent:
        return Agent(client, self.tools, AgentConfig(max_steps=steps, **sampling))

    def propose(self, seed: int, index: int) -> tuple[SearchTask | Rejection, dict[str, Any]]:
        """One proposal and what the driver records with it (anchor, constraints, model)."""
        rng = random.Random(f"{seed}:{index}")
        depth, breadth = rng.choice(self.depths), rng.choice(self.breadths)
        language: Language = rng.choice(self.languages)
        form = rng.choice(tuple(FORM_HINTS))
        anchor = self.ctx.pick(rng)
        info: dict[str, Any] = {
            "driver": "llm",
            "model": self.clients.proposer.model,
            "anchor": anchor,
            "requested": {"depth": depth, "breadth": breadth, "form": form},
        }

        def reject(stage: RejectionStage, reason: str, **kw: Any) -> Rejection:
            draft = kw.pop("draft", {})
            return Rejection(
                seed=seed, index=index, stage=stage, reason=reason, details=kw, **draft
            )

        try:
            title = self.ctx.source.open_page(anchor).title
        except PageNotFoundError as exc:
            return reject("construct", f"anchor page: {exc}", depth=depth), info
        hint = FORM_HINTS[form][0 if language == "en" else 1]
        agent = self._agent(self.clients.proposer, self.cfg.construct_steps, seed=seed + index)
        traj = agent.run(
            CONSTRUCT_PROMPT.format(
                page_id=anchor, title=title, depth=depth, breadth=breadth, form_hint=hint
            ),
            system=CONSTRUCT_SYSTEM.format(
                depth=depth, breadth=breadth, language=LANGUAGE_NAMES[language]
            ),
        )
        info["construct_tool_calls"] = len(traj.tool_calls)
        raw, problem = _final_json(traj, CONSTRUCT_SCHEMA)
        if problem is not None:
            return reject("construct", f"construction agent: {problem}", depth=depth), info
        info["constraints"] = list(raw["constraints"])
        try:
            key = self._key(raw)
        except (ValidationError, ValueError) as exc:
            return reject("construct", f"construction agent's answer: {exc}", depth=depth), info
        question = str(raw["question"]).strip()
        chain_depth = len(raw["evidence"]) - 1
        draft = {"question": question, "language": language, "answer": key}
        details = {"depth": chain_depth, "breadth": len(raw["constraints"])}
        if language == "zh" and not _has_cjk(question):
            return reject(
                "construct", "the question is not in Chinese", draft=draft, **details
            ), info
        if language == "en" and _has_cjk(question):
            return reject(
                "construct", "the question is not in English", draft=draft, **details
            ), info
        if leaks_answer(question, key):
            return reject(
                "construct", "the question spells out the answer", draft=draft, **details
            ), info

        evidence_or_reason = self._evidence(raw["evidence"], key, _opened(traj))
        if isinstance(evidence_or_reason, str):
            return reject("verify", evidence_or_reason, draft=draft, **details), info
        evidence, pages = evidence_or_reason
        # recorded, not required: the agent may find a better chain near its start page
        info["anchor_in_chain"] = anchor in {s.page_id for s in evidence}
        problem = self._graph_check(pages, key)
        if problem is not None:
            return reject("verify", f"knowledge graph: {problem}", draft=draft, **details), info
        key = self._with_graph_names(pages[-1], key)
        draft["answer"] = key

        label = answer_label(pages[-1], evidence[-1].facts, key)
        seed_at = seed + index
        screened = self._screen(
            question,
            key,
            evidence,
            lambda: self._shortcuts(question, pages, label) + self._llm_answers(question, seed_at),
            seed_at,
            info,
        )
        if isinstance(screened, tuple):
            stage, reason, extra = screened
            return reject(stage, reason, draft=draft, **extra, **details), info
        outcomes = screened
        task = SearchTask(
            question=question,
            language=language,
            answer=key,
            plan=None,
            evidence=evidence,
            candidates=tuple(outcomes),
            depth=chain_depth,
            breadth=len(raw["constraints"]),
            corpus_id=self.ctx.source.corpus_id,
            corpus_hash=self.ctx.corpus_hash,
            seed=seed,
            index=index,
        )
        return task, info

    def screen(self, task: SearchTask) -> tuple[SearchTask | Rejection, dict[str, Any]]:
        """The LLM stages on a task another driver built (the procedural one): the
        verification agent's passes, then the LLM answerers, which must all be wrong too."""
        info: dict[str, Any] = {"driver": "procedural", "model": self.clients.verifier.model}
        seed_at = task.seed + task.index
        screened = self._screen(
            task.question,
            task.answer,
            task.evidence,
            lambda: self._llm_answers(task.question, seed_at),
            seed_at,
            info,
        )
        if isinstance(screened, tuple):
            stage, reason, extra = screened
            rejection = Rejection(
                seed=task.seed,
                index=task.index,
                stage=stage,
                reason=reason,
                details={**extra, "depth": task.depth, "breadth": task.breadth},
                question=task.question,
                language=task.language,
                answer=task.answer,
                plan=task.plan,
            )
            return rejection, info
        return task.model_copy(update={"candidates": (*task.candidates, *screened)}), info

    # -- the stages ------------------------------------------------------------------------

    def _screen(
        self,
        question: str,
        key: AnswerKey,
        evidence: tuple[EvidenceStep, ...],
        answers: Callable[[], list[tuple[str, Any]]],
        seed: int,
        info: dict[str, Any],
    ) -> list[CandidateOutcome] | tuple[RejectionStage, str, dict[str, Any]]:
        """Verification passes, then every candidate must be wrong: the outcomes, or the
        stage, reason and particulars of the drop."""
        verdicts: list[str] = []
        info["verification"] = verdicts
        for p in range(self.cfg.verify_passes):
            stage, reason = self._verify(question, key, evidence, seed * 7 + p)
            verdicts.append(reason)
            if stage is not None:
                return stage, f"verification pass {p + 1}: {reason}", {}
        outcomes = []
        judged: dict[str, bool] = {}  # the LLM judge's rulings, one per distinct answer
        for strategy, answer in answers():
            verdict = match_answer(answer, key)
            if verdict.passed or self._judged_same(question, key, answer, judged):
                reason = f"candidate {strategy} answers correctly"
                extra: dict[str, Any] = {"strategy": strategy, "answer": answer}
                if not verdict.passed:
                    reason += " (LLM judge: same meaning)"
                    extra["judged_same"] = True
                return "candidates", reason, extra
            outcomes.append(
                CandidateOutcome(strategy=strategy, answer=answer, reason=verdict.reason)
            )
        return outcomes

    @staticmethod
    def _key(raw: dict[str, Any]) -> AnswerKey:
        form = raw["answer_form"]
        aliases = tuple(str(a) for a in raw.get("aliases") or ())
        if form == "number":
            value = parse_number(raw["answer"])
            if value is None:
                raise ValueError(f"{raw['answer']!r} is not one number")
            return AnswerKey(form="number", value=value)
        return AnswerKey(form=form, value=str(raw["answer"]).strip(), aliases=aliases)

    def _evidence(
        self, raw: list[dict[str, Any]], key: AnswerKey, opened: set[str]
    ) -> tuple[tuple[EvidenceStep, ...], list[Page]] | str:
        """The evidence chain as the pages state it, or why it does not hold."""
        steps, pages = [], []
        for item in raw:
            pid = str(item["page_id"])
            if pid not in opened:
                return f"evidence page {pid} was never opened by the construction agent"
            try:
                page = self.ctx.source.open_page(pid)
            except PageNotFoundError as exc:
                return f"evidence page {pid}: {exc}"
            facts = tuple(str(f) for f in item["facts"])
            missing = [f for f in facts if not page_states(f, page.text)]
            if missing:
                return f"page {pid} does not state {missing[0]!r}"
            steps.append(EvidenceStep(page_id=pid, title=page.title, facts=facts))
            pages.append(page)
        last = pages[-1]
        if not (
            match_answer(last.title, key).passed
            or any(_states_answer(f, key) for f in steps[-1].facts)
        ):
            return f"the last evidence page {last.id} states no fact giving the answer"
        return tuple(steps), pages

    def _graph_check(self, pages: list[Page], key: AnswerKey) -> str | None:
        """With a graph: the chain follows its edges and the answer is a fact of the last entity."""
        graph = self.ctx.graph
        if graph is None:
            return None
        ents = [e for e in (graph.get(p.id) for p in pages) if e is not None]
        if len(ents) != len(pages):
            return "an evidence page is not an entity of the graph"
        for a, b in itertools.pairwise(ents):
            if b.id not in a.rels.values() and a.id not in b.rels.values():
                return f"{a.id} and {b.id} are not related"
        final = ents[-1]
        said = {final.display("en"), final.display("zh")}
        said |= {v for k in (*final.attrs, *final.rels) if (v := answer_of(graph, final, k, "en"))}
        if not any(match_answer(v, key).passed for v in said):
            return f"the answer is not a fact of {final.id}"
        return None

    def _with_graph_names(self, last: Page, key: AnswerKey) -> AnswerKey:
        """A name answer that is the last entity's name accepts its name in both languages
        (the graph's English and CLDR Chinese names), as the procedural driver's keys do."""
        entity = self.ctx.graph.get(last.id) if self.ctx.graph is not None else None
        if entity is None or key.form != "name":
            return key
        names = (entity.display("en"), entity.display("zh"))
        if not any(match_answer(n, key).passed for n in names):
            return key
        extra = tuple(n for n in names if not match_answer(n, key).passed)
        return key.model_copy(update={"aliases": (*key.aliases, *extra)}) if extra else key

    def _verify(
        self, question: str, key: AnswerKey, evidence: tuple[EvidenceStep, ...], seed: int
    ) -> tuple[RejectionStage | None, str]:
        agent = self._agent(self.clients.verifier, self.cfg.verify_steps, seed=seed)
        chain = "; ".join(f"{s.page_id}: {' | '.join(s.facts)}" for s in evidence)
        traj = agent.run(
            VERIFY_PROMPT.format(
                question=question, answer=key.value, form=key.form, evidence=chain
            ),
            system=VERIFY_SYSTEM,
        )
        raw, problem = _final_json(traj, VERIFY_SCHEMA)
        if problem is not None:
            return "verify", f"verification agent: {problem}"
        reason = str(raw.get("reason") or "")
        if raw["verdict"] == "ambiguous":
            return "unique", f"the verification agent finds several answers: {reason}"
        if raw["verdict"] != "correct":
            return "verify", f"the verification agent judges it wrong: {reason}"
        if not match_answer(raw["answer"], key).passed:
            return "verify", f"the verification agent found {raw['answer']!r}, not the answer"
        return None, f"correct: {reason}" if reason else "correct"

    def _shortcuts(
        self, question: str, pages: list[Page], label: str | None
    ) -> list[tuple[str, Any]]:
        """Shortcut answers that need no graph: the top search hit, one hop short, the anchor."""
        out: list[tuple[str, Any]] = []
        hits = self.ctx.source.search(question, 1)
        if hits:
            try:
                top = self.ctx.source.open_page(hits[0].page_id)
                out.append(("top_search_hit", read_answer(top, label) or top.title))
            except PageNotFoundError:
                out.append(("top_search_hit", hits[0].title))
        else:
            out.append(("top_search_hit", None))
        short = pages[-2]
        out.append(("one_hop_short", read_answer(short, label) or short.title))
        if len(pages) > 2:
            out.append(("anchor", read_answer(pages[0], label) or pages[0].title))
        return out

    def _llm_answers(self, question: str, seed: int) -> list[tuple[str, Any]]:
        """Each LLM answerer's answer (``None`` when it ran out of budget)."""
        out: list[tuple[str, Any]] = []
        for i, conf in enumerate(self.cfg.answerers):
            agent = self._agent(
                self.clients.solver, conf.max_steps, temperature=conf.temperature, seed=seed + i
            )
            traj = agent.run(question, system=ANSWER_SYSTEM)
            out.append((conf.label, _answer_of(traj)))
        return out

    def _judged_same(
        self, question: str, key: AnswerKey, answer: Any, judged: dict[str, bool]
    ) -> bool:
        """With the judge on: whether the LLM judge calls a free-text answer the same."""
        if not self.cfg.judge or key.form != "name" or answer is None or not str(answer).strip():
            return False
        if str(answer) not in judged:
            judged[str(answer)] = self._ask_judge(question, key, answer)
        return judged[str(answer)]

    def _ask_judge(self, question: str, key: AnswerKey, answer: Any) -> bool:
        from envfoundry.generators.llm import complete_json

        prompt = JUDGE_PROMPT.format(question=question, reference=key.value, candidate=answer)
        try:
            result = complete_json(
                self.clients.verifier, [{"role": "user", "content": prompt}], JUDGE_SCHEMA
            )
        except LLMError:
            return True  # a judge that cannot decide keeps the drop conservative
        return bool(result.value["equivalent"])


def _states_answer(fact: str, key: AnswerKey) -> bool:
    if match_answer(fact, key).passed:
        return True
    _, sep, value = fact.partition(": ")
    if sep and match_answer(value, key).passed:
        return True
    return (
        key.form != "number"
        and f" {normalize_text(str(key.value))} " in f" {normalize_text(fact)} "
    )


def _answer_of(traj: Trajectory) -> Any:
    """An answerer's answer: ``{"answer": ...}`` in its final reply, else the reply's last line."""
    text = traj.final_answer
    if traj.stop_reason != "answered" or not text or not text.strip():
        return None
    try:
        value = parse_json(text)
    except ValueError:
        return text.strip().splitlines()[-1].strip()
    if isinstance(value, dict) and "answer" in value:
        return value["answer"]
    return text.strip().splitlines()[-1].strip()
