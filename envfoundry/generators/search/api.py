"""The search family's entry points: ``propose``, ``judge`` and the funnel.

``propose(seed, index, cfg)`` is deterministic in ``(seed, index)`` (its RNG is
``random.Random(f"{seed}:{index}")``) and returns either an accepted
:class:`SearchTask` or a :class:`Rejection` naming the funnel stage and the reason:

    proposed → unique → verified → every candidate wrong (accepted)

The graph, the index, the fact base and the sampler are built once per process and
configuration (:func:`search_context`) and shared read-only by every proposal.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from envfoundry.envs.search.graph import Entity, Graph
from envfoundry.envs.search.offline import OfflineSource, offline_source, search_cache_dir
from envfoundry.envs.search.tools import SEARCH_TOOLS
from envfoundry.generators.search.candidates import answer_of, most_popular, shortcut_answers, walk
from envfoundry.generators.search.construct import (
    ConstraintIndex,
    answer_key,
    build_chain,
    choose_constraints,
    evidence_chain,
    leaks_answer,
    render_question,
)
from envfoundry.generators.search.sampling import LongTailSampler
from envfoundry.generators.search.schema import ANSWERS, CONSTRAINTS, LANGUAGES, Language
from envfoundry.generators.search.spec import (
    CandidateOutcome,
    QuestionPlan,
    Rejection,
    RejectionStage,
    SearchTask,
)
from envfoundry.generators.search.verify import FactBase, fact_base, verify_plan
from envfoundry.models import (
    EnvironmentSpec,
    Family,
    FamilyPayload,
    TaskSpec,
    Verdict,
    VerifierSpec,
)
from envfoundry.verifiers.answers import AnswerKey, match_answer

CATEGORY = "offline-kg"
DEFAULT_ANCHOR_WEIGHTS = {
    "city": 4.0,
    "airport": 3.0,
    "subdivision": 2.0,
    "country": 1.0,
    "language": 1.0,
}


class SearchConfig(BaseModel):
    """How search questions are drawn. Each proposal picks its depth, breadth and language."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    depths: tuple[int, ...] = Field(default=(1, 2, 3, 4), min_length=1)
    breadths: tuple[int, ...] = Field(default=(2, 3), min_length=1)
    languages: tuple[Language, ...] = Field(default=LANGUAGES, min_length=1)
    anchor_weights: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_ANCHOR_WEIGHTS))
    tail: float = Field(default=2.0, ge=0.0, le=20.0, description="long-tail preference")
    anchor_tries: int = Field(default=8, ge=1, le=100)
    min_city_population: Literal[500, 1000, 5000, 15000] = 15000
    data_dir: str | None = Field(default=None, description="default: the configured data dir")

    @field_validator("depths")
    @classmethod
    def _depths(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        if any(not 1 <= d <= 4 for d in v):
            raise ValueError("depths must be between 1 and 4")
        return v

    @field_validator("breadths")
    @classmethod
    def _breadths(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        if any(not 1 <= b <= 4 for b in v):
            raise ValueError("breadths must be between 1 and 4")
        return v

    @field_validator("anchor_weights")
    @classmethod
    def _weights(cls, v: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(v) - set(CONSTRAINTS))
        if unknown:
            raise ValueError(f"anchor types without constraints: {unknown}")
        if any(w < 0 for w in v.values()) or not any(w > 0 for w in v.values()):
            raise ValueError("anchor weights must be >= 0 with at least one > 0")
        return v


@dataclass(frozen=True)
class SearchContext:
    """Everything a proposal reads, built once: source, graph, indexes, sampler."""

    source: OfflineSource
    index: ConstraintIndex
    facts: FactBase
    sampler: LongTailSampler

    @property
    def graph(self) -> Graph:
        return self.source.graph


@lru_cache(maxsize=4)
def _context(
    data_dir: str | None, min_pop: int, weights: tuple[tuple[str, float], ...], tail: float
) -> SearchContext:
    source = offline_source(data_dir, min_pop)
    return SearchContext(
        source=source,
        index=ConstraintIndex(source.graph),
        facts=fact_base(str(source.index.path)),
        sampler=LongTailSampler(source.graph, dict(weights), tail),
    )


def search_context(cfg: SearchConfig) -> SearchContext:
    """The shared context for ``cfg`` (the first call builds or loads the corpus)."""
    weights = tuple(sorted(cfg.anchor_weights.items()))
    # Keyed by the resolved directory: the configured data dir may change in a process.
    data_dir = str(search_cache_dir(cfg.data_dir).parent)
    return _context(data_dir, cfg.min_city_population, weights, cfg.tail)


def _reject(
    seed: int,
    index: int,
    stage: RejectionStage,
    reason: str,
    draft: dict[str, Any] | None = None,
    **details: Any,
) -> Rejection:
    return Rejection(
        seed=seed, index=index, stage=stage, reason=reason, details=details, **(draft or {})
    )


def _draft(question: str, language: Language, key: AnswerKey, plan: QuestionPlan) -> dict[str, Any]:
    return {"question": question, "language": language, "answer": key, "plan": plan}


def propose(
    seed: int, index: int, cfg: SearchConfig, ctx: SearchContext | None = None
) -> SearchTask | Rejection:
    """One proposal: an accepted task, or the rejection that dropped it (never raises for a bad draw)."""
    ctx = ctx or search_context(cfg)
    rng = random.Random(f"{seed}:{index}")
    depth = rng.choice(cfg.depths)
    breadth = rng.choice(cfg.breadths)
    language: Language = rng.choice(cfg.languages)
    graph = ctx.graph

    built = None
    for _ in range(cfg.anchor_tries):
        built = build_chain(rng, graph, ctx.sampler.pick(rng), depth)
        if built is not None:
            break
    if built is None:
        return _reject(seed, index, "construct", "no chain of the requested depth", depth=depth)
    chain, hops = built
    final = chain[-1]
    keys = [k for k in ANSWERS[final.type] if k == "name" or final.attrs.get(k) is not None]
    key_name = rng.choice(keys)
    key = answer_key(final, key_name, language)

    def defeats(pool: frozenset[str]) -> bool:
        # Guessing the most popular entity these constraints admit must miss the answer.
        guess = most_popular(ctx.index, pool, hops)
        end = walk(graph, guess, hops) if guess else None
        if end is None:
            return True
        return not match_answer(answer_of(graph, end, key_name, language), key).passed

    choice = choose_constraints(rng, ctx.index, chain, hops, breadth, language, defeats)
    if choice is None:
        return _reject(seed, index, "construct", "too few facts to constrain", anchor=chain[0].id)
    plan = QuestionPlan(
        anchor_type=chain[0].type, constraints=choice.constraints, hops=hops, answer_key=key_name
    )
    if choice.pool != 1:
        question = render_question(plan, tuple(chain), language)
        return _reject(
            seed,
            index,
            "unique",
            "constraints admit several entities",
            _draft(question, language, key, plan),
            matches=choice.pool,
        )
    return assess(ctx, plan, tuple(chain), language, seed, index)


def assess(
    ctx: SearchContext,
    plan: QuestionPlan,
    chain: tuple[Entity, ...],
    language: Language,
    seed: int = 0,
    index: int = 0,
) -> SearchTask | Rejection:
    """Word, verify and screen a constructed plan: the stages after construction.

    ``chain`` is the construction's path (anchor first). The plan is kept only when the
    pages re-derive a unique answer equal to the last entity's, every evidence line is
    stated, and every shortcut answerer is wrong.
    """
    key = answer_key(chain[-1], plan.answer_key, language)
    question = render_question(plan, chain, language)
    draft = _draft(question, language, key, plan)
    if leaks_answer(question, key):
        return _reject(seed, index, "construct", "the question spells out the answer", draft)
    evidence = evidence_chain(ctx.graph, plan, chain)

    derivation = verify_plan(ctx.facts, plan, key, evidence)
    if not derivation.ok:
        stage: RejectionStage = "unique" if derivation.stage == "unique" else "verify"
        return _reject(seed, index, stage, derivation.reason, draft, matches=derivation.matches)

    outcomes = []
    for sc in shortcut_answers(ctx.graph, ctx.source, ctx.index, plan, chain, question, language):
        verdict = match_answer(sc.answer, key)
        if verdict.passed:
            return _reject(
                seed,
                index,
                "candidates",
                f"candidate {sc.strategy} answers correctly",
                draft,
                strategy=sc.strategy,
                answer=sc.answer,
            )
        outcomes.append(
            CandidateOutcome(strategy=sc.strategy, answer=sc.answer, reason=verdict.reason)
        )

    return SearchTask(
        question=question,
        language=language,
        answer=key,
        plan=plan,
        evidence=evidence,
        candidates=tuple(outcomes),
        depth=plan.depth,
        breadth=plan.breadth,
        corpus_id=ctx.source.corpus_id,
        corpus_hash=ctx.source.corpus_hash,
        seed=seed,
        index=index,
    )


def judge(answer: Any, task: SearchTask) -> Verdict:
    """The task's verifier: normalized answer match (a Verdict, never an exception)."""
    return match_answer(answer, task.answer)


FUNNEL_STAGES = ("proposed", "unique", "verified", "accepted")
_PASSED = {"construct": 1, "unique": 1, "verify": 2, "candidates": 3}


class Funnel:
    """Counts of proposals that reached each stage, and of the reasons for each drop."""

    def __init__(self) -> None:
        self.stages: Counter[str] = Counter({s: 0 for s in FUNNEL_STAGES})
        self.reasons: Counter[str] = Counter()

    def add(self, result: SearchTask | Rejection) -> None:
        reached = 4 if isinstance(result, SearchTask) else _PASSED[result.stage]
        for stage in FUNNEL_STAGES[:reached]:
            self.stages[stage] += 1
        if isinstance(result, Rejection):
            self.reasons[f"{result.stage}: {result.reason}"] += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "stages": {s: self.stages[s] for s in FUNNEL_STAGES},
            "drops": dict(sorted(self.reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
        }


def corpus_environment(
    corpus_id: str,
    corpus_hash: str,
    category: str = CATEGORY,
    web: dict[str, Any] | None = None,
) -> EnvironmentSpec:
    """The environment of every task over one corpus: the corpus and the search tools.

    Its payload names the corpus (by content); an episode opens it with ``open_corpus``.
    A web-search corpus carries its API's settings (``web``, never the key: that is read
    from the settings where the episode runs).
    """
    corpus: dict[str, Any] = {"corpus_id": corpus_id, "corpus_hash": corpus_hash}
    if web is not None:
        corpus["web"] = web
    return EnvironmentSpec(
        family=Family.search,
        category=category,
        name=corpus_id,
        tools=SEARCH_TOOLS,
        provenance=corpus,
        payload=FamilyPayload(kind=Family.search.value, data=corpus),
    )


def environment_spec(task: SearchTask) -> EnvironmentSpec:
    """The environment a search task runs in: its corpus and the search tools."""
    return corpus_environment(task.corpus_id, task.corpus_hash)


def answer_schema(key: AnswerKey) -> dict[str, Any]:
    """What a submitted answer must look like: a string, or a number for numeric answers."""
    if key.form == "number":
        return {"type": ["number", "string"]}
    return {"type": "string"}


def _task_spec(
    env_id: str,
    question: str,
    key: AnswerKey,
    depth: int,
    breadth: int,
    provenance: dict[str, Any],
    category: str = CATEGORY,
) -> TaskSpec:
    value = key.model_dump(mode="json")
    return TaskSpec(
        env_id=env_id,
        family=Family.search,
        category=category,
        prompt=question,
        answer_schema=answer_schema(key),
        reference_answer=value["value"],
        verifier=VerifierSpec(kind="normalized", config=value),
        difficulty=min(100, depth * 10 + breadth),
        provenance=provenance,
    )


def to_task_spec(
    task: SearchTask, env_id: str, extra: dict[str, Any] | None = None, category: str = CATEGORY
) -> TaskSpec:
    """The generic task record: prompt, reference answer, normalized-match verifier.

    ``extra`` is what the driver records besides the task (the LLM driver: anchor,
    constraints, model, the verification agent's verdicts).
    """
    provenance = {"search_task": task.model_dump(mode="json"), "search_task_id": task.id}
    if extra:
        provenance["search_llm"] = extra
    return _task_spec(
        env_id, task.question, task.answer, task.depth, task.breadth, provenance, category
    )


def rejected_task_spec(
    rejection: Rejection,
    env_id: str,
    extra: dict[str, Any] | None = None,
    category: str = CATEGORY,
) -> TaskSpec | None:
    """The record of a dropped proposal that got as far as a question (to store it as a
    rejected task); ``None`` for one dropped before its question was drafted."""
    if rejection.question is None or rejection.answer is None:
        return None
    if rejection.plan is not None:
        depth, breadth = rejection.plan.depth, rejection.plan.breadth
    else:
        depth, breadth = (
            int(rejection.details.get("depth", 1)),
            int(rejection.details.get("breadth", 1)),
        )
    provenance: dict[str, Any] = {"search_rejection": rejection.model_dump(mode="json")}
    if extra:
        provenance["search_llm"] = extra
    return _task_spec(
        env_id, rejection.question, rejection.answer, depth, breadth, provenance, category
    )
