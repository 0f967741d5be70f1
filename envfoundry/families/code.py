"""The code family: real fixes from a repository's git history, judged by its own tests.

Wires ``generators.code`` (git candidates, static filters, dependency images, the
before/after test runs that find FAIL_TO_PASS), ``verifiers.code_judge`` (the family's
judge inside the shared acceptance policy) and ``envs.code`` (workspaces and the
episode's tools) into the :class:`~envfoundry.families.Family` seam.

One work item is one candidate commit: from a repository's history (``repo``), or a
merged pull request that closes an issue (``github``: GitHub's REST API through
``GITHUB_TOKEN``; the issue is the problem statement, and the repository is cloned from
the API's ``clone_url`` to build it). ``propose`` filters it, builds its image,
archives its base tree and validates it; the environment is the base tree in its image,
the task's prompt is the problem statement, its verifier holds FAIL_TO_PASS,
PASS_TO_PASS and the test patch, its reference solution is the gold patch. A candidate
that validation rejected carries its reason to ``accept``, which stores it rejected;
one whose build or sandbox failed is infra there, and nothing is stored. A candidate
whose task is stored already is proposed from the store: validation runs the
repository's tests and is not repeated (nor can a flaky rerun give it a second task).

A repository's environment that fails (its dependency image does not build, or its
tests cannot run with the fix: see ``setup_problem``) goes to the setup agent when an LLM
is configured and the repository has no stored recipe yet; the recipe it proves on the
candidate is stored and builds the dependency images of the repository's later commits
(:mod:`envfoundry.generators.code.setup_agent`).
"""

from __future__ import annotations

import threading
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from envfoundry.config import Settings, load_settings
from envfoundry.envs.code.images import EnvBuilder, EnvBuildError
from envfoundry.envs.code.payload import (
    CodeEnvPayload,
    CodeTaskPayload,
    TestSuiteConfig,
    task_payload,
)
from envfoundry.envs.code.recipe import SetupRecipe
from envfoundry.envs.code.tools import TOOLS, ToolError, run_tool
from envfoundry.envs.code.workspace import Workspace, code_limits
from envfoundry.envs.images import image_exists
from envfoundry.errors import (
    ConfigError,
    EnvfoundryError,
    LLMError,
    NotFoundError,
    SandboxError,
    VerifierError,
)
from envfoundry.families import REFERENCE, EpisodeResources, Proposal, ToolOutcome, WorkItem
from envfoundry.families.code_inject import InjectWorker, plan_inject
from envfoundry.generators.code.filters import FilterConfig
from envfoundry.generators.code.github import API, GitHubClient, clone_location, github_candidates
from envfoundry.generators.code.pipeline import CodeConfig as ValidationConfig
from envfoundry.generators.code.pipeline import (
    CodeOutcome,
    PreparedCandidate,
    ensure_image,
    open_repo,
    prepare_candidate,
    setup_problem,
    validate_prepared,
)
from envfoundry.generators.code.setup_agent import RecipeStore, llm_configured, repair_repository
from envfoundry.generators.code.sources import Candidate, GitRepo, SourceError, candidate_commits
from envfoundry.generators.code.statement import write_statement
from envfoundry.models import (
    EnvironmentSpec,
    FamilyPayload,
    RejectionCategory,
    TaskSpec,
    Verdict,
    VerifierSpec,
)
from envfoundry.storage import Store, TaskFilter
from envfoundry.storage.blobs import BlobStore
from envfoundry.verifiers.acceptance import TaskOutcome, accept
from envfoundry.verifiers.code import grade, grade_workspace
from envfoundry.verifiers.code_judge import CodeJudge

FAMILY_NAME = "code"
ANSWER_SCHEMA = {
    "type": "string",
    "description": "a short note on the change; the repository's working tree is what is graded",
}
INSTRUCTIONS = (
    "The repository is checked out at its base commit; the tools' paths are relative to its "
    "root. Edit it with the tools, then call submit: the repository's own tests judge the "
    "working tree (edits to test files are discarded)."
)
# Validation codes that a static look at the candidate decided (see generators.code.filters).
STATIC_CODES = frozenset(
    {
        "diff_too_large",
        "unparsable_diff",
        "no_tests",
        "only_tests",
        "file_count",
        "only_tests_or_docs",
        "binary_patch",
        "unsupported_ecosystem",
        "text_too_short",
        "unsupported_python",
        "payload_too_large",
    }
)


class CodeConfig(BaseModel):
    """Which repository and commits to mine, and how candidates are validated."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    repo: str | None = Field(default=None, description="a path, a .bundle file or a clone URL")
    github: str | None = Field(
        default=None,
        pattern=r"^[\w.-]+/[\w.-]+$",
        description="owner/name on GitHub: merged pull requests that close an issue",
    )
    github_api: str = Field(default=API, description="GitHub's REST API base URL")
    name: str | None = Field(default=None, description="short repository name (default: derived)")
    commits: tuple[str, ...] = Field(default=(), description="these commits (any git revision)")
    range: str | None = Field(default=None, description="a git revision range, e.g. v1.0..main")
    limit: int | None = Field(default=None, ge=1, description="at most this many candidates")
    repeats: int = Field(default=2, ge=1, le=10, description="test runs with the fix")
    test_timeout_s: float = Field(default=600.0, gt=0)
    memory: str = "2g"
    tmpfs: str = "1g"
    filters: FilterConfig = Field(default_factory=FilterConfig)
    inject: bool = Field(
        default=False, description="inject bugs into one passing commit instead of mining fixes"
    )
    inject_attempts: int = Field(default=3, ge=1, le=50, description="mutations per function")
    setup_attempts: int = Field(
        default=2, ge=1, le=10, description="setup-agent recipes tried (with an LLM configured)"
    )
    inject_repeats: int = Field(
        default=1, ge=1, le=10, description="runs of a mutated tree (acceptance reruns it)"
    )

    @model_validator(mode="after")
    def _one_selection(self) -> CodeConfig:
        if self.commits and self.range:
            raise ValueError("give commits or a range, not both")
        if self.repo and self.github:
            raise ValueError("give a repository or a GitHub repository, not both")
        if self.github and (self.commits or self.range):
            raise ValueError("commits and ranges select git history, not GitHub pull requests")
        return self

    def validation(self) -> ValidationConfig:
        return ValidationConfig(
            repeats=self.repeats,
            test_timeout_s=self.test_timeout_s,
            memory=self.memory,
            tmpfs=self.tmpfs,
            filters=self.filters,
        )


NEEDS_SOURCE = (
    "the code family needs a repository: --code-repo PATH|BUNDLE|URL or "
    "--code-github OWNER/NAME (or repo / github in the [pipeline.code] table)"
)


def github_client(cfg: CodeConfig, settings: Settings) -> GitHubClient:
    """The API client of ``cfg.github`` (token from ``GITHUB_TOKEN``, ETags cached on disk)."""
    if not cfg.github:
        raise ConfigError("no GitHub repository configured")
    return GitHubClient(
        cfg.github,
        base_url=cfg.github_api,
        cache_dir=settings.data_dir / "code" / "github-cache" / cfg.github.replace("/", "__"),
    )


def source_repo(cfg: CodeConfig, settings: Settings) -> GitRepo:
    """The git repository candidates are built from (cloned from GitHub for ``github``)."""
    if cfg.github:
        with github_client(cfg, settings) as client:
            location = clone_location(client)
        return open_repo(location, settings, cfg.name or cfg.github.split("/")[1])
    if not cfg.repo:
        raise ConfigError(NEEDS_SOURCE)
    return open_repo(cfg.repo, settings, cfg.name)


_repo_locks: dict[str, threading.Lock] = {}
# (repository, build failure) the setup agent could not repair: not asked again this process
_hopeless: set[tuple[str, str]] = set()


def _repo_lock(name: str) -> threading.Lock:
    with _builders_lock:
        return _repo_locks.setdefault(name, threading.Lock())


# One builder per blob store in the process: it remembers failed builds and serialises
# builds of the same image across the batches running at once.
_builders: dict[str, EnvBuilder] = {}
_builders_lock = threading.Lock()


def shared_builder(settings: Settings, blobs: BlobStore) -> EnvBuilder:
    with _builders_lock:
        key = blobs.location
        if key not in _builders:
            _builders[key] = EnvBuilder(settings, blobs)
        return _builders[key]


# --------------------------------------------------------------------------- specs


def rejection_of(status: str, code: str, flaky: bool) -> RejectionCategory:
    """The store's rejection category for a validation outcome."""
    if status == "infra":
        return RejectionCategory.infra
    if code in STATIC_CODES:
        return RejectionCategory.static_check
    if code == "no_fail_to_pass":
        return RejectionCategory.nondeterministic if flaky else RejectionCategory.verifier_unsound
    if code == "pass_to_fail":
        return RejectionCategory.solution_failed
    return RejectionCategory.invalid_spec


def environment_spec(candidate: Candidate, prepared: PreparedCandidate | None) -> EnvironmentSpec:
    """The base tree of ``candidate`` in its image (bare when nothing was built)."""
    repo = candidate.repo
    data = CodeEnvPayload(repo=repo, base_commit=candidate.base_commit)
    if prepared is not None:
        data = data.model_copy(
            update={
                "source_blob": prepared.source_blob,
                "image": prepared.env.image,
                "python": prepared.env.python.version,
                "dependency_files": prepared.dependency_files,
                "setup_recipe": prepared.env.recipe,
            }
        )
    return EnvironmentSpec(
        family=FAMILY_NAME,
        category=repo.name,
        name=f"{repo.name}@{candidate.base_commit[:12]}",
        image=data.image,
        state_blob=data.source_blob,
        tools=TOOLS,
        payload=FamilyPayload(kind=FAMILY_NAME, data=data.model_dump(mode="json")),
        provenance={"repo": repo.name, "base_commit": candidate.base_commit},
    )


def _difficulty(gold_patch: str) -> int:
    """A size proxy: 1 + one level per 10 changed lines of the gold patch, at most 10."""
    changed = sum(
        1
        for line in gold_patch.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    )
    return min(10, 1 + changed // 10)


def task_spec(env: EnvironmentSpec, candidate: Candidate, outcome: CodeOutcome) -> TaskSpec:
    """The task of ``candidate``, with its validation outcome in the provenance."""
    payload = outcome.payload
    if payload is not None:
        suite = TestSuiteConfig(
            fail_to_pass=payload.fail_to_pass,
            pass_to_pass=payload.pass_to_pass,
            test_patch=payload.test_patch,
            test_files=payload.test_files,
            test_targets=payload.test_targets,
        )
        statement = payload.statement
    else:
        suite = TestSuiteConfig(
            fail_to_pass=outcome.fail_to_pass,
            pass_to_pass=outcome.pass_to_pass,
            test_patch=outcome.test_patch,
        )
        statement = write_statement(
            issue_title=candidate.issue_title,
            issue_body=candidate.issue_body,
            message=candidate.message,
        )
    validation: dict[str, Any] = {
        "status": outcome.status,
        "code": outcome.code,
        "reason": outcome.reason,
    }
    for key in ("pass_to_fail", "flaky"):
        if getattr(outcome, key):
            validation[key] = list(getattr(outcome, key))
    if outcome.python_note:
        validation["python_note"] = outcome.python_note
    subject = candidate.message.splitlines()[0] if candidate.message else ""
    return TaskSpec(
        env_id=env.id,
        family=FAMILY_NAME,
        category=env.category,
        prompt=f"{statement}\n\n{INSTRUCTIONS}",
        answer_schema=ANSWER_SCHEMA,
        reference_solution=outcome.gold_patch or candidate.diff,
        verifier=VerifierSpec(kind="test_suite", config=suite.as_config()),
        difficulty=_difficulty(outcome.gold_patch),
        provenance={
            "repo": candidate.repo.name,
            "commit": candidate.commit,
            "base_commit": candidate.base_commit,
            "subject": subject[:200],
            "statement": statement,
            "validation": validation,
        },
    )


def code_payload(env: EnvironmentSpec, task: TaskSpec) -> CodeTaskPayload:
    """The replayable task; VerifierError when the stored task cannot be graded."""
    if env.payload is None or env.payload.kind != FAMILY_NAME:
        raise VerifierError(f"environment {env.id} has no code payload")
    try:
        return task_payload(
            CodeEnvPayload.model_validate(env.payload.data),
            TestSuiteConfig.model_validate(task.verifier.config),
            gold_patch=task.reference_solution or "",
            statement=str(task.provenance.get("statement") or task.prompt),
            fix_commit=task.provenance.get("commit"),
        )
    except ValueError as exc:
        raise VerifierError(f"task {task.id} cannot be graded: {exc}") from None


def _ensure_image(payload: CodeTaskPayload, settings: Settings, blobs: BlobStore) -> None:
    """Rebuild the task's dependency image from its dependency files when it is missing."""
    if not image_exists(payload.image):
        ensure_image(shared_builder(settings, blobs), payload)


# --------------------------------------------------------------------------- batches


class CodeWorker:
    """Proposes and judges candidates of one repository; one per batch."""

    def __init__(self, cfg: CodeConfig, settings: Settings, backend: Any) -> None:
        self.cfg = cfg
        self.validation = cfg.validation()
        self.settings = settings
        self.backend = backend
        self.store = Store.from_settings(settings)
        self.blobs = self.store.blobs
        self.repo: GitRepo = source_repo(cfg, settings)
        self.builder = shared_builder(settings, self.blobs)
        self.recipes = RecipeStore.from_settings(settings)
        self._logs: dict[str, str] = {}  # task id -> blob of the build log or the test runs

    def propose(self, item: WorkItem) -> Proposal:
        if "candidate" in item.params:  # a pull request, fetched when the run was planned
            candidate = Candidate.model_validate(item.params["candidate"])
        else:
            candidate = self.repo.candidate(str(item.params["commit"]))
        name = candidate.repo.name
        recipe = self.recipes.get(name)
        attempt = self._attempt(candidate, recipe)
        if isinstance(attempt, Proposal):
            return attempt
        prepared, outcome = attempt
        problem = setup_problem(outcome)
        # A stored recipe is the repository's: the agent is asked only when none is.
        if problem and recipe is None and llm_configured(self.settings):
            with _repo_lock(name):  # one setup agent per repository at a time
                recipe = self.recipes.get(name)
                if recipe is None:
                    prepared, outcome = self._setup(candidate, prepared, outcome, problem)
                else:  # another batch's agent found one meanwhile
                    attempt = self._attempt(candidate, recipe)
                    if isinstance(attempt, Proposal):
                        return attempt
                    prepared, outcome = attempt
        env = environment_spec(
            candidate, prepared if isinstance(prepared, PreparedCandidate) else None
        )
        return Proposal([env], [self._task(env, candidate, outcome)])

    def _attempt(
        self, candidate: Candidate, recipe: SetupRecipe | None
    ) -> Proposal | tuple[PreparedCandidate | CodeOutcome, CodeOutcome]:
        """Build and validate ``candidate`` with ``recipe``: what was prepared (or the
        outcome that ended it) and the outcome, or the stored proposal when it is stored."""
        prepared = self._prepare(candidate, recipe)
        if isinstance(prepared, CodeOutcome):
            return prepared, prepared
        env = environment_spec(candidate, prepared)
        stored = self._stored(env, candidate)
        if stored:
            return Proposal([env], stored)
        return prepared, validate_prepared(
            prepared, self.backend, self.blobs, config=self.validation
        )

    def _prepare(
        self, candidate: Candidate, recipe: SetupRecipe | None
    ) -> PreparedCandidate | CodeOutcome:
        return prepare_candidate(
            candidate,
            self.blobs,
            self.settings,
            repo=self.repo,
            builder=self.builder,
            config=self.validation,
            recipe=recipe,
        )

    def _setup(
        self,
        candidate: Candidate,
        prepared: PreparedCandidate | CodeOutcome,
        outcome: CodeOutcome,
        problem: str,
    ) -> tuple[PreparedCandidate | CodeOutcome, CodeOutcome]:
        """The setup agent on a candidate whose environment failed (see ``setup_problem``).

        Its recipes are proven by this candidate's own build and validation; the one that
        works is stored for the repository. When none works, the candidate keeps its
        outcome, with the agent's attempts in the reason.
        """
        if isinstance(prepared, PreparedCandidate):
            image, source = prepared.env.image, prepared.source
        else:
            if outcome.code != "build_failed" or not outcome.build_parent:
                return prepared, outcome
            image = outcome.build_parent
            if (candidate.repo.name, outcome.reason) in _hopeless:
                note = " (the setup agent found no working recipe for this build before)"
                return prepared, outcome.model_copy(update={"reason": outcome.reason + note})
            try:
                source = self.repo.archive(candidate.base_commit)
            except SourceError:
                return prepared, outcome
        tried: dict[str, PreparedCandidate] = {}
        validated: dict[str, CodeOutcome] = {}

        def apply(recipe: SetupRecipe) -> str:
            again = self._prepare(candidate, recipe)
            if isinstance(again, CodeOutcome):
                raise EnvBuildError(
                    f"{again.code}: {again.reason}", "", again.log_blob, again.log_tail
                )
            tried[again.env.image] = again
            return again.env.image

        def check(tag: str) -> str | None:
            validated[tag] = validate_prepared(
                tried[tag], self.backend, self.blobs, config=self.validation
            )
            return setup_problem(validated[tag])

        try:
            result = repair_repository(
                self.settings,
                self.backend,
                self.recipes,
                candidate.repo.name,
                attempts=self.cfg.setup_attempts,
                image=image,
                source=source,
                log=problem,
                check=check,
                apply=apply,
            )
        except (LLMError, SandboxError) as exc:
            note = f" (the setup agent failed: {exc})"
            return prepared, outcome.model_copy(update={"reason": outcome.reason + note})
        if result.recipe is None or result.image is None:
            details = "; ".join(
                f"{i}: {a.detail.splitlines()[0][:200] if a.detail else 'failed'}"
                for i, a in enumerate(result.attempts, 1)
            )
            note = (
                f" (the setup agent found no working recipe in {len(result.attempts)} "
                f"attempt(s): {details})"
            )
            if isinstance(prepared, CodeOutcome):  # every candidate sharing this build fails
                with _builders_lock:
                    _hopeless.add((candidate.repo.name, outcome.reason))
            return prepared, outcome.model_copy(update={"reason": outcome.reason + note})
        return tried[result.image], validated[result.image]

    def _task(self, env: EnvironmentSpec, candidate: Candidate, outcome: CodeOutcome) -> TaskSpec:
        task = task_spec(env, candidate, outcome)
        if outcome.log_blob:
            self._logs[task.id] = outcome.log_blob
        return task

    def _stored(self, env: EnvironmentSpec, candidate: Candidate) -> list[TaskSpec]:
        records = self.store.list_tasks(TaskFilter(family=FAMILY_NAME, env_id=env.id))
        return [r.spec for r in records if r.spec.provenance.get("commit") == candidate.commit]

    def accept(self, proposal: Proposal, run_id: str) -> list[TaskOutcome]:
        envs = {e.id: e for e in proposal.environments}
        outcomes = []
        for task in proposal.tasks:
            judge = self._judge(envs[task.env_id], task)
            try:
                outcomes.append(accept(judge, task, run_id))
            finally:
                judge.close()
        return outcomes

    def _judge(self, env: EnvironmentSpec, task: TaskSpec) -> CodeJudge:
        found = task.provenance.get("validation") or {}
        status, code = found.get("status", ""), found.get("code", "")
        log = self._logs.pop(task.id, None)
        if status != "accepted":
            reason = f"{code}: {found.get('reason', '')}"
            if log:
                what = "build log" if code == "build_failed" else "test runs"
                reason += f" ({what}: blob {log})"
            category = rejection_of(status, code, bool(found.get("flaky")))
            return CodeJudge(None, _no_workspace, rejection=(category, reason))
        payload = code_payload(env, task)
        limits = code_limits(self.cfg.test_timeout_s, memory=self.cfg.memory, tmpfs=self.cfg.tmpfs)

        def open_workspace() -> Workspace:
            source = self.blobs.get_bytes(payload.source_blob, f"task {task.id}")
            return Workspace.open(self.backend, payload.image, source, limits, "code-accept")

        return CodeJudge(payload, open_workspace, timeout_s=self.cfg.test_timeout_s)

    def discard(self) -> None:
        """Nothing to drop: every judge opens and closes its own workspace."""

    def close(self) -> None:
        self.store.close()


def _no_workspace() -> Workspace:
    raise SandboxError("a rejected candidate has no workspace")


# --------------------------------------------------------------------------- episodes


# a policy's bash call in a code episode may build and run the repository's tests
CODE_TOOL_TIMEOUT_S = 300.0


class CodeDriver:
    """An episode: the base tree in a fresh sandbox of the task's image; submit grades it.

    Its budgets are floors under the runtime's (which suit a general tool in milliseconds):
    a ``bash`` call may run the repository's tests, and grading runs them with the same
    timeout as validation did.
    """

    def __init__(self, resources: EpisodeResources, task: TaskSpec, env: EnvironmentSpec) -> None:
        if task.verifier.kind != "test_suite":
            raise VerifierError(f"task {task.id}: verifier {task.verifier.kind!r} is not runnable")
        self.payload = code_payload(env, task)
        try:
            source = resources.state_bytes(env)
        except NotFoundError as exc:
            raise VerifierError(f"environment {env.id}: {exc}") from None
        if source is None:
            raise VerifierError(f"environment {env.id} has no source tree")
        settings = resources.settings
        _ensure_image(self.payload, settings, resources.blobs)
        limits = code_limits()
        self.workspace = Workspace.open(
            resources.backend, self.payload.image, source, limits, "code-episode"
        )
        self.verifier_timeout_s = limits.timeout_s
        self.tool_timeout_s = CODE_TOOL_TIMEOUT_S

    def call_tool(self, name: str, args: dict[str, Any], timeout_s: float) -> ToolOutcome:
        try:
            return ToolOutcome(result=run_tool(self.workspace, name, args, timeout_s))
        except ToolError as exc:
            return ToolOutcome(error=str(exc))

    def judge(self, answer: Any, timeout_s: float) -> Verdict:
        # the answer is a note; the working tree is graded, with the task's own test files
        return grade_workspace(self.workspace, self.payload, timeout_s)

    def close(self) -> None:
        self.workspace.close()


# --------------------------------------------------------------------------- the family


class CodeFamily:
    name = FAMILY_NAME
    description = "real fixes from git history, judged by the repository's own tests"
    config_model = CodeConfig
    text_answers = True  # `verify --answer` may be a raw diff, not only JSON

    def plan(self, cfg: CodeConfig, seed: int, limit: int | None) -> list[WorkItem]:
        """The candidate commits, in order: the named ones as given, else newest first.

        Deterministic for a repository state; ``seed`` plays no part (history is the input).
        From GitHub: the merged pull requests that close an issue, most recently updated
        first, each item carrying its candidate (issue text and diff).
        """
        if cfg.inject:
            return plan_inject(cfg, load_settings(), seed, limit)
        caps = [n for n in (cfg.limit, limit) if n is not None]
        if cfg.github:
            with github_client(cfg, load_settings()) as client:
                found = list(github_candidates(client, limit=min(caps) if caps else None))
            name = cfg.name or cfg.github.split("/")[1]
            return [
                WorkItem(
                    family=self.name,
                    category=name,
                    index=i,
                    params={"commit": c.commit, "candidate": c.model_dump(mode="json")},
                )
                for i, c in enumerate(found)
            ]
        if not cfg.repo:
            raise ConfigError(NEEDS_SOURCE)
        repo = open_repo(cfg.repo, load_settings(), cfg.name)
        if cfg.commits:
            shas = list(dict.fromkeys(repo.resolve(c) for c in cfg.commits))
        else:
            shas = candidate_commits(repo, cfg.range)
        if caps:
            shas = shas[: min(caps)]
        return [
            WorkItem(family=self.name, category=repo.ref.name, index=i, params={"commit": sha})
            for i, sha in enumerate(shas)
        ]

    def check_config(self, cfg: CodeConfig, settings: Settings) -> list[str]:
        if not cfg.repo and not cfg.github:
            return [NEEDS_SOURCE]
        problems = []
        if settings.sandbox_backend == "local":
            problems.append(
                "the code family runs repositories in Docker images: "
                "the local sandbox backend cannot run it"
            )
        else:
            from envfoundry.envs.docker_api import docker_answers

            if not docker_answers():
                problems.append("the code family needs Docker, and no Docker daemon answers")
        if cfg.github:
            return problems  # the API and the clone are reached when the run plans
        try:
            repo = source_repo(cfg, settings)
            for rev in cfg.commits:
                repo.resolve(rev)
            if cfg.range:
                repo.git("rev-list", "--max-count=1", cfg.range, "--")
        except (SourceError, ValueError) as exc:
            problems.append(f"code repository {cfg.repo}: {exc}")
        return problems

    def uses_llm(self, cfg: CodeConfig) -> bool:
        return False

    def warm_up(self, cfg: CodeConfig) -> None:
        import envfoundry.envs.code.deps
        import envfoundry.envs.code.testrun
        import envfoundry.generators.code.patches
        import envfoundry.verifiers.code_judge  # noqa: F401

    def worker(
        self, cfg: CodeConfig, seed: int, settings: Settings, backend: Any
    ) -> CodeWorker | InjectWorker:
        if cfg.inject:
            return InjectWorker(
                cfg,
                seed,
                settings,
                backend,
                builder=lambda blobs: shared_builder(settings, blobs),
                answer_schema=ANSWER_SCHEMA,
                difficulty=_difficulty,
            )
        return CodeWorker(cfg, settings, backend)

    def episode_driver(
        self, resources: EpisodeResources, task: TaskSpec, env: EnvironmentSpec
    ) -> CodeDriver:
        return CodeDriver(resources, task, env)

    def verify(self, store: Any, backend: Any, task: TaskSpec, answer: Any) -> Verdict:
        """Grade the gold patch (:data:`REFERENCE`) or ``answer``, a unified diff."""
        env = store.get_environment(task.env_id).spec
        payload = code_payload(env, task)
        diff = payload.gold_patch if answer is REFERENCE else answer
        if not isinstance(diff, str):
            return Verdict.fail("a code task's answer is a unified diff (a string)")
        try:
            _ensure_image(payload, load_settings(), store.blobs)
        except EnvfoundryError as exc:
            return Verdict.infra(f"the task's image could not be provided: {exc}")
        return grade(backend, store.blobs, payload, diff)


FAMILY = CodeFamily()
