"""The search family: multi-hop questions over a knowledge source, answered with the
``search`` / ``open_page`` tools and judged by normalized answer match.

Wires ``generators.search`` (the proposer and its funnel: proposed → unique → verified →
every shortcut answerer wrong), ``verifiers.answers`` (the matcher, inside the shared
acceptance policy) and ``envs.search`` (the offline corpus and its tools) into the
:class:`~envfoundry.families.Family` seam.

No sandbox is involved: the tools read a trusted, read-only index built from packaged
data, and judging is a string / number comparison — no generator- or policy-written code
runs anywhere in this family, so tools and judge run in the calling process.
"""

from __future__ import annotations

import heapq
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from envfoundry.config import Settings, load_settings
from envfoundry.envs.search import (
    KnowledgeSource,
    WebSearchConfig,
    WebSearchSource,
    call_tool,
    open_corpus,
    search_cache_dir,
)
from envfoundry.envs.search.graph import Entity, Graph
from envfoundry.errors import GenerationError, VerifierError
from envfoundry.families import (
    REFERENCE,
    EpisodeResources,
    Proposal,
    ToolOutcome,
    WorkItem,
)
from envfoundry.generators.search import (
    Rejection,
    SearchConfig,
    SearchTask,
    corpus_environment,
    propose,
    rejected_task_spec,
    search_context,
    to_task_spec,
)
from envfoundry.generators.search.api import CATEGORY
from envfoundry.generators.search.candidates import answer_of
from envfoundry.generators.search.llm_driver import SearchLLMConfig
from envfoundry.generators.search.verify import page_states
from envfoundry.models import (
    Attempt,
    AttemptKind,
    EnvironmentSpec,
    RejectionCategory,
    TaskSpec,
    TaskStatus,
    Verdict,
)
from envfoundry.verifiers.acceptance import Control, Solution, TaskOutcome, accept
from envfoundry.verifiers.answers import AnswerKey, match_answer


class SearchFamilyConfig(SearchConfig):
    """The generator's :class:`SearchConfig`, how many proposals a run makes, the driver
    and the knowledge source questions are built over (the offline graph by default).

    ``web_endpoint`` (the CLI's ``--search-web``) sets ``web.endpoint`` and keeps the rest
    of a configured ``web`` table.
    """

    @model_validator(mode="before")
    @classmethod
    def _web_endpoint(cls, data: Any) -> Any:
        if isinstance(data, dict) and "web_endpoint" in data:
            data = dict(data)
            endpoint = data.pop("web_endpoint")
            if endpoint is not None:
                web = data.get("web")
                if isinstance(web, WebSearchConfig):
                    web = web.model_dump()
                data["web"] = {**(web or {}), "endpoint": endpoint}
        return data

    tasks: int = Field(
        default=24,
        ge=0,
        description="questions to propose (one work item each; about a quarter survive the funnel)",
    )
    start_index: int = Field(default=0, ge=0, description="first proposal index")
    driver: Literal["procedural", "llm"] = "procedural"
    corpus: str | None = Field(default=None, description="a JSONL corpus (id, title, text, links)")
    web: WebSearchConfig | None = Field(
        default=None, description="a web-search API (its key: ENVFOUNDRY_SEARCH_WEB_API_KEY)"
    )
    seed_pages: tuple[str, ...] = Field(
        default=(), description="LLM driver: start pages (default: long-tail draws)"
    )
    llm: SearchLLMConfig = Field(default_factory=SearchLLMConfig)
    llm_screen: bool = Field(
        default=False,
        description="procedural driver: also run the verification agent and the LLM "
        "answerers on each question the funnel keeps (needs an LLM endpoint)",
    )


# Why a dropped draft is rejected, by the funnel stage that dropped it.
STAGE_REJECTION: dict[str, RejectionCategory] = {
    "construct": RejectionCategory.invalid_spec,  # the question gives the answer away
    "unique": RejectionCategory.invalid_spec,  # more than one entity fits the question
    "verify": RejectionCategory.invalid_spec,  # the pages do not support the answer
    "candidates": RejectionCategory.too_easy,  # a shortcut answerer gets it right
}


def _record(task: TaskSpec) -> SearchTask:
    """The generator's record of an accepted task (evidence chain, candidate answers)."""
    raw = task.provenance.get("search_task")
    if raw is None:
        raise VerifierError(f"task {task.id} has no search record (provenance.search_task)")
    try:
        return SearchTask.model_validate(raw)
    except ValidationError as exc:
        raise VerifierError(f"task {task.id}: invalid search record: {exc}") from None


def _key(task: TaskSpec) -> AnswerKey:
    if task.verifier.kind != "normalized":
        raise VerifierError(f"task {task.id}: verifier {task.verifier.kind!r} is not a search one")
    try:
        return AnswerKey.model_validate(task.verifier.config)
    except ValidationError as exc:
        raise VerifierError(f"task {task.id}: invalid answer key: {exc}") from None


def _corpus_id(env: EnvironmentSpec) -> str:
    data = env.payload.data if env.payload is not None else env.provenance
    corpus_id = data.get("corpus_id")
    if not isinstance(corpus_id, str) or not corpus_id:
        raise VerifierError(f"environment {env.id} names no corpus")
    return corpus_id


def min_steps(record: SearchTask) -> int:
    """Tool calls the evidence chain needs at least: one search, one open per page."""
    return 1 + len(record.evidence)


class SearchJudge:
    """A search task's judge inside the shared acceptance policy (and for verify / submit).

    The reference solution walks the evidence chain with the episode's own ``open_page``
    tool and must find every evidence line on its page; answers are judged by
    ``match_answer`` against the task's answer key. Controls that must fail: the empty
    answer, each wrong answer a shortcut answerer gave (the generator records them), and
    near misses — another entity of the answer's type, and a number just outside the
    tolerance. ``source`` and ``graph`` are needed only to solve and to derive controls.
    """

    sandbox_s = 0.0

    def __init__(self, source: KnowledgeSource | None = None, graph: Graph | None = None) -> None:
        self.source = source
        self.graph = graph

    def precheck(self, task: TaskSpec) -> tuple[RejectionCategory, str] | None:
        try:
            record = _record(task)
            _key(task)
        except VerifierError as exc:
            return RejectionCategory.invalid_spec, str(exc)
        if self.source is not None and record.corpus_id != self.source.corpus_id:
            return (
                RejectionCategory.invalid_spec,
                f"task is over corpus {record.corpus_id}, not {self.source.corpus_id}",
            )
        return None

    def solve(self, task: TaskSpec, source: str | None = None) -> Solution:
        if source is not None:
            return Solution(error=f"search tasks have no solution controls ({source!r})")
        if self.source is None:
            raise VerifierError("solving a search task needs its corpus")
        calls: list[dict[str, Any]] = []
        for step in _record(task).evidence:
            args = {"page_id": step.page_id}
            calls.append({"name": "open_page", "args": args})
            page = call_tool(self.source, "open_page", args)
            if "error" in page:
                return Solution(calls=calls, error=f"evidence page: {page['error']}")
            lines = set(page["text"].split("\n"))
            missing = [f for f in step.facts if f not in lines and not page_states(f, page["text"])]
            if missing:
                return Solution(
                    calls=calls,
                    error=f"page {step.page_id} as the tool shows it does not state {missing[0]!r}",
                )
        return Solution(answer=task.reference_answer, calls=calls)

    def verify(self, task: TaskSpec, answer: Any, *, fresh: bool) -> Verdict:
        return match_answer(answer, _key(task))

    def verify_many(self, task: TaskSpec, answers: list[Any]) -> list[Verdict]:
        key = _key(task)
        return [match_answer(a, key) for a in answers]

    def controls(self, task: TaskSpec, reference: Solution) -> list[Control]:
        record, key = _record(task), _key(task)
        out = [Control("empty", "")]
        out += [
            Control(f"candidate:{c.strategy}", c.answer)
            for c in record.candidates
            if c.answer is not None  # "no answer" is the empty control's case
        ]
        if self.graph is not None and record.plan is not None:
            final = self.graph.get(record.evidence[-1].page_id)
            other = None if final is None else self._sibling(final, record, key)
            if other is not None:
                out.append(Control("near_miss:same_type", other))
        if key.form == "number":
            want = float(key.value)  # type: ignore[arg-type]
            tol = max(key.abs_tol, key.rel_tol * abs(want))
            out.append(Control("near_miss:tolerance", want + tol + 1.0))
        return out

    def _sibling(self, final: Entity, record: SearchTask, key: AnswerKey) -> str | None:
        """The answer for another entity of ``final``'s type, preferring ones that share a
        relation with it (a city of the same country), most popular first."""
        graph = self.graph
        if graph is None or record.plan is None:
            return None
        near = {
            eid
            for rel, target in sorted(final.rels.items())
            for eid in graph.referrers(rel, target)
            if eid != final.id and graph[eid].type == final.type
        }
        pools = [
            sorted((graph[e] for e in near), key=lambda e: (-e.popularity, e.id)),
            heapq.nsmallest(64, graph.of_type(final.type), key=lambda e: (-e.popularity, e.id)),
        ]
        for pool in pools:
            for ent in pool:
                if ent.id == final.id:
                    continue
                answer = answer_of(graph, ent, record.plan.answer_key, record.language)
                if answer is not None and not match_answer(answer, key).passed:
                    return answer
        return None


def dropped(task: TaskSpec, rejection: Rejection, run_id: str | None) -> TaskOutcome:
    """The outcome of a draft the generator's funnel dropped: rejected with its stage and
    reason; a shortcut answerer that got it right is recorded as the control that passed."""
    attempts = []
    if rejection.stage == "candidates" and rejection.answer is not None:
        answer = rejection.details.get("answer")
        verdict = match_answer(answer, rejection.answer)
        if not verdict.passed and rejection.details.get("judged_same"):
            verdict = Verdict.ok("the LLM judge rules it the same answer", form="name")
        attempts.append(
            Attempt(
                task_id=task.id,
                kind=AttemptKind.control,
                label=f"control:candidate:{rejection.details.get('strategy', 'unknown')}",
                answer=answer,
                verdict=verdict,
                run_id=run_id,
            )
        )
    return TaskOutcome(
        task,
        TaskStatus.rejected,
        STAGE_REJECTION[rejection.stage],
        f"{rejection.stage}: {rejection.reason}",
        task.reference_answer,
        attempts,
    )


def web_config(cfg: WebSearchConfig, settings: Settings | None) -> WebSearchConfig:
    """``cfg`` with its key: the configured one, else ``ENVFOUNDRY_SEARCH_WEB_API_KEY``."""
    if cfg.api_key or settings is None or not settings.search_web_api_key:
        return cfg
    return cfg.model_copy(update={"api_key": settings.search_web_api_key})


def open_source(env: EnvironmentSpec, settings: Settings | None = None) -> KnowledgeSource:
    """The knowledge source an environment names: a web-search API (its settings in the
    payload, its key from ``settings``), or a corpus this machine has indexed."""
    data = env.payload.data if env.payload is not None else env.provenance
    web = data.get("web")
    if isinstance(web, dict):
        try:
            return WebSearchSource(web_config(WebSearchConfig.model_validate(web), settings))
        except ValidationError as exc:
            raise VerifierError(
                f"environment {env.id}: invalid web-search settings: {exc}"
            ) from None
    return open_corpus(_corpus_id(env), settings.data_dir if settings is not None else None)


def _llm_context(cfg: SearchFamilyConfig, settings: Settings | None) -> Any:
    from envfoundry.generators.search.llm_sources import llm_context

    return llm_context(
        corpus=cfg.corpus,
        web=None if cfg.web is None else web_config(cfg.web, settings),
        seed_pages=cfg.seed_pages,
        offline=lambda: search_context(cfg),
        cache_dir=search_cache_dir(settings.data_dir if settings is not None else cfg.data_dir),
        tail=cfg.tail,
    )


class SearchWorker:
    """Proposes with the configured driver over the shared source and judges in process."""

    def __init__(
        self, cfg: SearchFamilyConfig, seed: int, settings: Settings | None = None
    ) -> None:
        self.cfg = cfg
        self.seed = seed
        self.llm: Any = None
        self.screen: Any = None
        if cfg.driver == "procedural":
            self.ctx = search_context(cfg)  # built by warm_up; a cache hit here
            self.env = corpus_environment(self.ctx.source.corpus_id, self.ctx.source.corpus_hash)
            self.judge = SearchJudge(self.ctx.source, self.ctx.graph)
            self.category = CATEGORY
            if cfg.llm_screen:
                self.screen = self._llm_driver(cfg, settings or load_settings())
            return
        settings = settings or load_settings()
        self.llm = self._llm_driver(cfg, settings)
        ctx = self.llm.ctx
        self.category = source_category(cfg)
        web = None
        if cfg.web is not None:
            web = cfg.web.model_dump(mode="json", exclude={"api_key"})
        self.env = corpus_environment(ctx.source.corpus_id, ctx.corpus_hash, self.category, web)
        self.judge = SearchJudge(ctx.source, ctx.graph)

    @staticmethod
    def _llm_driver(cfg: SearchFamilyConfig, settings: Settings) -> Any:
        from envfoundry.generators.llm import LLMClient
        from envfoundry.generators.search.llm_driver import Clients, LLMSearchDriver

        ctx = _llm_context(cfg, settings)
        clients = Clients(
            *(LLMClient.from_settings(settings, role=r) for r in ("proposer", "verifier", "solver"))
        )
        return LLMSearchDriver(
            clients,
            ctx,
            cfg.llm,
            depths=cfg.depths,
            breadths=cfg.breadths,
            languages=cfg.languages,
        )

    def propose(self, item: WorkItem) -> Proposal:
        extra = None
        if self.llm is None:
            result = propose(self.seed, item.index, self.cfg, self.ctx)
            if self.screen is not None and isinstance(result, SearchTask):
                result, extra = self.screen.screen(result)
        else:
            result, extra = self.llm.propose(self.seed, item.index)
        if isinstance(result, SearchTask):
            return Proposal([self.env], [to_task_spec(result, self.env.id, extra, self.category)])
        task = rejected_task_spec(result, self.env.id, extra, self.category)
        if task is None:  # dropped before a question existed: nothing to store
            raise GenerationError(f"{result.stage}: {result.reason}")
        return Proposal([self.env], [task])

    def accept(self, proposal: Proposal, run_id: str) -> list[TaskOutcome]:
        outcomes = []
        for task in proposal.tasks:
            raw = task.provenance.get("search_rejection")
            if raw is None:
                outcomes.append(accept(self.judge, task, run_id))
            else:
                outcomes.append(dropped(task, Rejection.model_validate(raw), run_id))
        return outcomes

    def discard(self) -> None:
        pass  # no sandbox session to drop

    def close(self) -> None:
        for driver in (self.llm, self.screen):
            if driver is not None:
                for client in {id(c): c for c in vars(driver.clients).values()}.values():
                    client.close()


def source_category(cfg: SearchFamilyConfig) -> str:
    """The environment category of the source questions are built over."""
    return "web" if cfg.web is not None else "jsonl" if cfg.corpus is not None else CATEGORY


class SearchDriver:
    """An episode: ``search`` / ``open_page`` on the task's corpus, ``submit`` by answer match.

    In process, not in a sandbox: the index is trusted read-only data and nothing the
    policy sends is executed (see the module docstring).
    """

    def __init__(self, resources: EpisodeResources, task: TaskSpec, env: EnvironmentSpec) -> None:
        self.task = task
        self._judge = SearchJudge()
        _key(task)  # a task without a usable answer key cannot be judged: refuse to open
        if "search_task" in task.provenance:
            need = min_steps(_record(task))
            budget = getattr(resources.config, "max_steps", None)
            if isinstance(budget, int) and budget < need:
                raise VerifierError(
                    f"task {task.id} needs at least {need} tool calls; the runtime allows {budget}"
                )
        # SearchSourceError (a SandboxError) when the corpus is not here: infrastructure
        self.source = open_source(env, getattr(resources, "settings", None))

    def call_tool(self, name: str, args: dict[str, Any], timeout_s: float) -> ToolOutcome:
        result = call_tool(self.source, name, args)
        if "error" in result:
            return ToolOutcome(error=str(result["error"]))
        return ToolOutcome(result=result)

    def judge(self, answer: Any, timeout_s: float) -> Verdict:
        # the same judge as acceptance and `envfoundry verify`: one way to judge a task
        return self._judge.verify(self.task, answer, fresh=False)

    def close(self) -> None:
        pass  # the corpus is shared by the process, read-only


class SearchFamily:
    name = "search"
    description = "multi-hop questions over an offline knowledge graph, answered by search"
    config_model = SearchFamilyConfig

    def plan(self, cfg: SearchFamilyConfig, seed: int, limit: int | None) -> list[WorkItem]:
        """One work item per proposal index; the proposal draws its own depth and language."""
        n = cfg.tasks if limit is None else min(cfg.tasks, limit)
        return [
            WorkItem(family=self.name, category=CATEGORY, index=cfg.start_index + j)
            for j in range(n)
        ]

    def check_config(self, cfg: SearchFamilyConfig, settings: Settings) -> list[str]:
        """Source and driver problems (SearchConfig validates the rest; the offline corpus
        is built when missing)."""
        problems = []
        if cfg.corpus is not None and cfg.web is not None:
            problems.append("search: give a JSONL corpus or a web-search API, not both")
        if cfg.driver == "procedural" and (cfg.corpus is not None or cfg.web is not None):
            problems.append(
                "search: the procedural driver builds questions from the offline knowledge "
                'graph only; use driver = "llm" for a JSONL corpus or a web-search API'
            )
        if cfg.corpus is not None and not Path(cfg.corpus).is_file():
            problems.append(f"search: corpus file {cfg.corpus} does not exist")
        if cfg.web is not None and not cfg.seed_pages:
            problems.append("search: questions over a web-search API need seed_pages")
        if (cfg.driver == "llm" or cfg.llm_screen) and not settings.llm_base_url:
            which = "the llm driver" if cfg.driver == "llm" else "llm_screen"
            problems.append(
                f"search: {which} needs an LLM endpoint: set ENVFOUNDRY_LLM_BASE_URL "
                "(and ENVFOUNDRY_LLM_MODEL), or use --llm-fake FILE for a scripted one"
            )
        return problems

    def uses_llm(self, cfg: SearchFamilyConfig) -> bool:
        return cfg.driver == "llm" or cfg.llm_screen

    def warm_up(self, cfg: SearchFamilyConfig) -> None:
        # Build or load the corpus, its index and the fact base once, in this thread;
        # batch threads then share them read-only.
        if cfg.driver == "procedural":
            search_context(cfg)
        elif cfg.web is None:
            _llm_context(cfg, load_settings())

    def worker(
        self, cfg: SearchFamilyConfig, seed: int, settings: Settings, backend: Any
    ) -> SearchWorker:
        return SearchWorker(cfg, seed, settings)

    def episode_driver(
        self, resources: EpisodeResources, task: TaskSpec, env: EnvironmentSpec
    ) -> SearchDriver:
        return SearchDriver(resources, task, env)

    def task_sections(self, provenance: dict[str, Any]) -> dict[str, list[str]]:
        """What ``envfoundry tasks show`` prints for a search task besides the generic
        view: the evidence chain, the candidates that failed, the LLM driver's record."""
        out: dict[str, list[str]] = {}
        record = provenance.get("search_task")
        if isinstance(record, dict):
            out["evidence chain"] = [
                f"{i}. {s['page_id']} ({s['title']}): {' | '.join(s['facts'])}"
                for i, s in enumerate(record.get("evidence", []))
            ]
            out["candidates (every one wrong)"] = [
                f"{c['strategy']}: {c['answer'] if c['answer'] is not None else '-'} ({c['reason']})"
                for c in record.get("candidates", [])
            ]
        dropped = provenance.get("search_rejection")
        if isinstance(dropped, dict):
            details = dropped.get("details", {})
            line = f"{dropped.get('stage')}: {dropped.get('reason')}"
            if "strategy" in details:
                line += f" — {details['strategy']} answered {details.get('answer')!r}"
            out["dropped"] = [line]
        llm = provenance.get("search_llm")
        if isinstance(llm, dict):
            out["LLM driver"] = [
                f"model {llm.get('model')}, anchor {llm.get('anchor')}, "
                f"requested {llm.get('requested')}",
                *(f"constraint: {c}" for c in llm.get("constraints", [])),
                *(f"verification: {v}" for v in llm.get("verification", [])),
            ]
        return out

    def verify(self, store: Any, backend: Any, task: TaskSpec, answer: Any) -> Verdict:
        """The reference: walk the evidence chain on this machine's copy of the corpus,
        then match; any other answer: match against the answer key."""
        if answer is not REFERENCE:
            return SearchJudge().verify(task, answer, fresh=True)
        if "search_task" not in task.provenance:
            dropped_at = task.provenance.get("search_rejection", {}).get("stage", "?")
            return Verdict.fail(f"reference: no evidence chain (a draft dropped at {dropped_at})")
        env = store.get_environment(task.env_id).spec
        judge = SearchJudge(open_source(env, load_settings()))
        solution = judge.solve(task)
        if solution.error is not None:
            return Verdict.fail(f"reference: {solution.error}")
        return judge.verify(task, solution.answer, fresh=True)


FAMILY = SearchFamily()
