"""The code family's bug-injection mode: one work item per mutated function of one commit.

``plan_inject`` detects the commit's ecosystem (Python, Go, JavaScript / TypeScript),
mutates the sources it lets injection touch with its operators on the host (nothing
runs) and makes one work item per function group (see
:mod:`envfoundry.generators.code.inject`).
:class:`InjectWorker` builds the commit's dependency image once, keeps one sandbox of it
for the batch, runs the whole suite once per base commit (shared by the batches of the
process) and tries a group's mutations in it. A kept mutation is a task whose
environment is the mutated tree; every other mutation is stored as a rejection with its
code (``does_not_build``, ``import_crash``, ``no_test_breaks``, ``duplicate_function`` …).
Accepted tasks go through the shared acceptance policy like real fixes: the reverse
mutation passes twice, the empty diff fails. A commit whose baseline cannot run the tests
goes to the setup agent (with an LLM configured) through the same function as history
mode: its recipe builds the dependency image and travels in the tasks' payloads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from envfoundry.envs.code.ecosystems import ECOSYSTEMS, detect
from envfoundry.envs.code.images import EnvBuildError
from envfoundry.envs.code.payload import (
    CodeEnvPayload,
    CodeTaskPayload,
    TestSuiteConfig,
    task_payload,
)
from envfoundry.envs.code.tools import TOOLS
from envfoundry.envs.code.workspace import Workspace, code_limits
from envfoundry.errors import ConfigError, SandboxError, VerifierError
from envfoundry.families import Proposal, WorkItem
from envfoundry.generators.code.inject import (
    Baseline,
    FunctionGroup,
    InjectConfig,
    InjectOutcome,
    file_mutations,
    inject_group,
    mutated_archive,
    plan_groups,
    run_baseline,
    source_files,
    unified_diff,
)
from envfoundry.generators.code.pipeline import dependency_files, open_repo
from envfoundry.generators.code.setup_agent import RecipeStore, llm_configured, repair_repository
from envfoundry.generators.code.sources import SourceError
from envfoundry.models import (
    EnvironmentSpec,
    FamilyPayload,
    RejectionCategory,
    TaskSpec,
    VerifierSpec,
)
from envfoundry.storage import Store, TaskFilter
from envfoundry.verifiers.acceptance import TaskOutcome, accept
from envfoundry.verifiers.code_judge import CodeJudge

if TYPE_CHECKING:
    from envfoundry.config import Settings
    from envfoundry.envs.code.ecosystems import Ecosystem
    from envfoundry.envs.code.images import EnvBuilder, RepoEnv
    from envfoundry.envs.code.recipe import SetupRecipe
    from envfoundry.families.code import CodeConfig
    from envfoundry.storage.blobs import BlobStore

FAMILY_NAME = "code"
# Rejection codes decided without running anything, or by the mutation's own run.
STATIC = frozenset({"does_not_build", "duplicate_function", "duplicate_mutation"})
INSTRUCTIONS = (
    "The repository is checked out at its current state; the tools' paths are relative to "
    "its root. Edit it with the tools, then call submit: the repository's own tests judge "
    "the working tree (edits to test files are discarded)."
)


def inject_config(cfg: CodeConfig, seed: int) -> InjectConfig:
    return InjectConfig(
        seed=seed,
        attempts=cfg.inject_attempts,
        repeats=cfg.inject_repeats,
        test_timeout_s=cfg.test_timeout_s,
    )


def plan_inject(
    cfg: CodeConfig, settings: Settings, seed: int, limit: int | None
) -> list[WorkItem]:
    """One work item per mutated function of the commit (``--code-commit``, else HEAD)."""
    if not cfg.repo:
        raise ConfigError("the code family needs a repository (--code-repo)")
    if len(cfg.commits) > 1 or cfg.range:
        raise ConfigError("bug injection takes one commit (--code-commit SHA; default HEAD)")
    repo = open_repo(cfg.repo, settings, cfg.name)
    commit = repo.resolve(cfg.commits[0] if cfg.commits else "HEAD")
    files = repo.list_files(commit)
    ecosystem = detect(files)
    if ecosystem is None:
        known = ", ".join(f"{e.name} ({'/'.join(e.markers)})" for e in ECOSYSTEMS.values())
        raise ConfigError(
            f"{repo.ref.name}@{commit[:12]}: no known ecosystem at its root ({known})"
        )
    sources = {}
    for path in source_files(files, ecosystem.name):
        text = repo.read_file(commit, path)
        if text is not None:
            sources[path] = text
    groups = plan_groups(sources, seed, ecosystem.name)
    caps = [n for n in (cfg.limit, limit) if n is not None]
    if caps:
        groups = groups[: min(caps)]
    return [
        WorkItem(
            family=FAMILY_NAME,
            category=repo.ref.name,
            index=i,
            params={"commit": commit, "inject": True, "group": g.model_dump(mode="json")},
        )
        for i, g in enumerate(groups)
    ]


@dataclass(frozen=True)
class _Base:
    """A base commit ready for injection: image, tree and its baseline run."""

    commit: str
    env: RepoEnv  # the dependency image, built with the repository's setup recipe if any
    dependency_files: dict[str, str]
    source: bytes
    baseline: Baseline


# The baseline of a base commit runs once per process, whatever the number of batches.
_baselines: dict[tuple[str, str], tuple[RepoEnv, Baseline]] = {}
_baseline_locks: dict[tuple[str, str], threading.Lock] = {}
_lock = threading.Lock()


class InjectWorker:
    """Proposes and judges function groups of one commit; one per batch."""

    def __init__(
        self,
        cfg: CodeConfig,
        seed: int,
        settings: Settings,
        backend: Any,
        *,
        builder: Callable[[BlobStore], EnvBuilder],
        answer_schema: dict[str, Any],
        difficulty: Callable[[str], int],
    ) -> None:
        if not cfg.repo:
            raise ConfigError("the code family needs a repository (--code-repo)")
        self.cfg = cfg
        self.inject = inject_config(cfg, seed)
        self.settings = settings
        self.backend = backend
        self.store = Store.from_settings(settings)
        self.blobs = self.store.blobs
        self.repo = open_repo(cfg.repo, settings, cfg.name)
        self.builder = builder(self.blobs)  # on the store's blob backend
        self.answer_schema = answer_schema
        self.difficulty = difficulty
        self.limits = code_limits(cfg.test_timeout_s, memory=cfg.memory, tmpfs=cfg.tmpfs)
        self._base: _Base | None = None
        self._workspace: Workspace | None = None
        self._workspace_image = ""
        self.recipes = RecipeStore.from_settings(settings)
        self._bugs: dict[str, str] = {}  # task id -> its bug as a diff of the base tree

    # -- the base commit
    def _prepare(self, commit: str) -> _Base:
        if self._base is not None and self._base.commit == commit:
            return self._base
        files = self.repo.list_files(commit)
        eco = detect(files)
        if eco is None:
            raise _Stop("rejected", "unsupported_ecosystem", "no known ecosystem at the root")
        deps = dependency_files(self.repo, commit, files, eco)
        python = self.builder.python_for(deps, eco)
        if not python.satisfied:
            raise _Stop("rejected", "unsupported_python", python.note)
        # a recipe the setup agent proved for this repository builds its commits' images:
        # its packages under the dependency layer, its commands over it (as in history mode)
        recipe = self.recipes.get(self.repo.ref.name)
        env = self.builder.build(deps, python, eco, recipe=recipe)
        source = self.repo.archive(commit)
        self.blobs.put_bytes(source)
        texts = {}
        for path in files:
            if eco.is_test_file(path):
                text = self.repo.read_file(commit, path)
                if text is not None:
                    texts[path] = text
        key = (env.image, commit)
        with _lock:
            key_lock = _baseline_locks.setdefault(key, threading.Lock())
        with key_lock:
            known = _baselines.get(key)
            if known is None:
                baseline = run_baseline(
                    self._open(env.image, source), texts, self.cfg.test_timeout_s
                )
                if baseline.problem() and recipe is None and llm_configured(self.settings):
                    repaired = self._repair(env, deps, eco, source, baseline, texts)
                    if repaired is not None:
                        env, baseline = repaired
                known = _baselines[key] = (env, baseline)
        env, baseline = known
        self._open(env.image, source)
        self._base = _Base(commit, env, deps, source, baseline)
        return self._base

    def _repair(
        self,
        env: RepoEnv,
        deps: dict[str, str],
        eco: Ecosystem,
        source: bytes,
        baseline: Baseline,
        texts: dict[str, str],
    ) -> tuple[RepoEnv, Baseline] | None:
        """The setup agent's environment and the baseline on it, or None when it found none.

        A recipe builds the dependency image the way history mode's does (and a task
        payload's ``setup_recipe`` rebuilds it), and is proven by the baseline run.
        """
        built: dict[str, RepoEnv] = {}
        checked: dict[str, Baseline] = {}

        def apply(recipe: SetupRecipe) -> str:
            again = self.builder.build(deps, env.python, eco, recipe=recipe)
            built[again.image] = again
            return again.image

        def check(candidate: str) -> str | None:
            with Workspace.open(
                self.backend, candidate, source, self.limits, "code-setup-check"
            ) as ws:
                checked[candidate] = run_baseline(ws, texts, self.cfg.test_timeout_s)
            return checked[candidate].problem()

        result = repair_repository(
            self.settings,
            self.backend,
            self.recipes,
            self.repo.ref.name,
            attempts=self.cfg.setup_attempts,
            image=env.image,
            source=source,
            log=f"{baseline.problem()}\n\n{baseline.run.output_tail}",
            check=check,
            apply=apply,
        )
        if result.recipe is None or result.image is None:
            return None
        return built[result.image], checked[result.image]

    def _open(self, image: str, source: bytes) -> Workspace:
        if self._workspace is not None and self._workspace_image != image:
            self._workspace.close()
            self._workspace = None
        if self._workspace is None:
            self._workspace = Workspace.open(
                self.backend, image, source, self.limits, "code-inject"
            )
            self._workspace_image = image
        return self._workspace

    # -- propose
    def propose(self, item: WorkItem) -> Proposal:
        commit = str(item.params["commit"])
        group = FunctionGroup.model_validate(item.params["group"])
        stored = self._stored(commit, group)
        if stored:
            known = {t.env_id: self.store.get_environment(t.env_id).spec for t in stored}
            return Proposal(list(known.values()), stored)
        bare = self._bare_env(commit)
        try:
            base = self._prepare(commit)
        except _Stop as stop:
            return Proposal([bare], [self._group_task(bare, commit, group, stop)])
        except EnvBuildError as exc:
            why = _Stop("infra", "build_failed", f"{exc} (build log: blob {exc.log_blob})")
            return Proposal([bare], [self._group_task(bare, commit, group, why)])
        except (SandboxError, SourceError) as exc:
            why = _Stop("infra", "sandbox_failed", str(exc))
            return Proposal([bare], [self._group_task(bare, commit, group, why)])
        if problem := base.baseline.problem():
            why = _Stop("rejected", "baseline_fails", problem)
            return Proposal([bare], [self._group_task(bare, commit, group, why)])
        original = self.repo.read_file(commit, group.path) or ""
        workspace = self._open(base.env.image, base.source)
        try:
            outcomes = inject_group(
                workspace, group, original, base.baseline, self.inject, group.ecosystem
            )
        except SandboxError as exc:
            why = _Stop("infra", "sandbox_failed", str(exc))
            return Proposal([bare], [self._group_task(bare, commit, group, why)])
        envs: dict[str, EnvironmentSpec] = {bare.id: bare}
        tasks = []
        for outcome in outcomes:
            if outcome.accepted:
                mutated = group_text(original, outcome, group.ecosystem)
                archive = mutated_archive(base.source, group.path, mutated)
                env = self._env(base, self.blobs.put_bytes(archive), outcome.mutation_id)
                envs[env.id] = env
                task = self._task(env, commit, group, outcome)
                self._bugs[task.id] = unified_diff(group.path, original, mutated)
                tasks.append(task)
            else:
                tasks.append(self._task(bare, commit, group, outcome))
        return Proposal(list(envs.values()), tasks)

    def _stored(self, commit: str, group: FunctionGroup) -> list[TaskSpec]:
        records = self.store.list_tasks(TaskFilter(family=FAMILY_NAME, category=self.repo.ref.name))
        out = []
        for record in records:
            found = record.spec.provenance.get("injected") or {}
            if (
                found.get("group") == group.key
                and record.spec.provenance.get("base_commit") == commit
            ):
                out.append(record.spec)
        return out

    def _bare_env(self, commit: str) -> EnvironmentSpec:
        data = CodeEnvPayload(repo=self.repo.ref, base_commit=commit)
        return EnvironmentSpec(
            family=FAMILY_NAME,
            category=self.repo.ref.name,
            name=f"{self.repo.ref.name}@{commit[:12]}",
            tools=TOOLS,
            payload=FamilyPayload(kind=FAMILY_NAME, data=data.model_dump(mode="json")),
            provenance={"repo": self.repo.ref.name, "base_commit": commit},
        )

    def _env(self, base: _Base, source_blob: str, mutation_id: str) -> EnvironmentSpec:
        data = CodeEnvPayload(
            repo=self.repo.ref,
            base_commit=base.commit,
            source_blob=source_blob,
            image=base.env.image,
            python=base.env.python.version,
            dependency_files=base.dependency_files,
            setup_recipe=base.env.recipe,  # ensure_image rebuilds the image from both
        )
        return EnvironmentSpec(
            family=FAMILY_NAME,
            category=self.repo.ref.name,
            name=f"{self.repo.ref.name}@{base.commit[:12]}+bug-{mutation_id[:8]}",
            image=base.env.image,
            state_blob=source_blob,
            tools=TOOLS,
            payload=FamilyPayload(kind=FAMILY_NAME, data=data.model_dump(mode="json")),
            provenance={
                "repo": self.repo.ref.name,
                "base_commit": base.commit,
                "injected": mutation_id,
            },
        )

    def _task(
        self, env: EnvironmentSpec, commit: str, group: FunctionGroup, outcome: InjectOutcome
    ) -> TaskSpec:
        suite = TestSuiteConfig(
            fail_to_pass=outcome.fail_to_pass,
            pass_to_pass=outcome.pass_to_pass,
            test_files=outcome.targets,
            test_targets=outcome.targets,
        )
        statement = outcome.statement or f"(rejected bug injection: {outcome.operator})"
        validation: dict[str, Any] = {
            "status": outcome.status,
            "code": outcome.code,
            "reason": outcome.reason,
            "tried": outcome.tried,
            "built": outcome.built,
            "breaks": outcome.breaks,
        }
        if outcome.flaky:
            validation["flaky"] = list(outcome.flaky)
        return TaskSpec(
            env_id=env.id,
            family=FAMILY_NAME,
            category=env.category,
            prompt=f"{statement}\n\n{INSTRUCTIONS}",
            answer_schema=self.answer_schema,
            reference_solution=outcome.gold_patch or None,
            verifier=VerifierSpec(kind="test_suite", config=suite.as_config()),
            difficulty=self.difficulty(outcome.gold_patch),
            provenance={
                "repo": self.repo.ref.name,
                "base_commit": commit,
                "statement": statement,
                "injected": {
                    "group": group.key,
                    "mutation": outcome.mutation_id,
                    "operator": outcome.operator,
                    "path": outcome.path,
                    "scope": outcome.scope,
                    "line": outcome.line,
                },
                "validation": validation,
            },
        )

    def _group_task(
        self, env: EnvironmentSpec, commit: str, group: FunctionGroup, stop: _Stop
    ) -> TaskSpec:
        """The one task of a group that never reached its mutations (its base failed)."""
        return TaskSpec(
            env_id=env.id,
            family=FAMILY_NAME,
            category=env.category,
            prompt=f"(bug injection into {group.key} did not start: {stop.code})",
            answer_schema={"type": "string"},
            verifier=VerifierSpec(kind="test_suite", config=TestSuiteConfig().as_config()),
            provenance={
                "repo": self.repo.ref.name,
                "base_commit": commit,
                "injected": {"group": group.key, "mutation": None},
                "validation": {"status": stop.status, "code": stop.code, "reason": stop.reason},
            },
        )

    # -- accept
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
        if status != "accepted":
            category = _category(status, code)
            reason = f"{code}: {found.get('reason', '')}"
            return CodeJudge(None, _no_workspace, rejection=(category, reason))
        payload = _payload(env, task)
        bug = self._bugs.pop(task.id, "")
        if self._workspace is not None and self._base is not None and bug:
            # Grade in the batch's sandbox: its tree is the base commit, the bug goes on
            # top at every reset, so it is the task's own base tree without a second
            # container and install.
            shared = self._workspace

            def open_workspace() -> Workspace:
                return MutatedView(shared, bug)

        else:

            def open_workspace() -> Workspace:
                source = self.blobs.get_bytes(payload.source_blob)
                return Workspace.open(
                    self.backend, payload.image, source, self.limits, "code-accept"
                )

        return CodeJudge(payload, open_workspace, timeout_s=self.cfg.test_timeout_s)

    def discard(self) -> None:
        workspace, self._workspace = self._workspace, None
        self._base = None
        if workspace is not None:
            workspace.close()

    def close(self) -> None:
        self.discard()
        self.store.close()


def _payload(env: EnvironmentSpec, task: TaskSpec) -> CodeTaskPayload:
    if env.payload is None:
        raise VerifierError(f"environment {env.id} has no code payload")
    try:
        return task_payload(
            CodeEnvPayload.model_validate(env.payload.data),
            TestSuiteConfig.model_validate(task.verifier.config),
            gold_patch=task.reference_solution or "",
            statement=str(task.provenance.get("statement") or task.prompt),
        )
    except ValueError as exc:
        raise VerifierError(f"task {task.id} cannot be graded: {exc}") from None


class MutatedView(Workspace):
    """The batch's workspace seen with one bug applied: its base tree is the mutated tree.

    ``reset`` goes back to the base commit and applies the bug; ``close`` only resets
    (the sandbox belongs to the worker).
    """

    def __init__(self, shared: Workspace, bug: str) -> None:
        super().__init__(shared.sandbox, shared.repo_dir, shared.ecosystem)
        self.install = shared.install
        self.runner = shared.runner  # the shared checkout's ecosystem runs the tests
        self._isolated, self._keep_pids = shared._isolated, shared._keep_pids
        # grading restores the pristine checkout (the base commit as set up), then the bug
        self.pristine = shared.pristine
        self.shared = shared
        self.bug = bug

    def reset(self) -> None:
        self.shared.reset()
        self._apply_bug()

    def restore(self) -> None:
        self.shared.restore()
        self._apply_bug()

    def _apply_bug(self) -> None:
        applied = self.shared.apply(self.bug)
        if not applied.ok:
            raise SandboxError(f"the bug does not apply to the base tree: {applied.detail}")

    def close(self) -> None:
        self.shared.reset()


def _no_workspace() -> Workspace:
    raise SandboxError("a rejected mutation has no workspace")


class _Stop(Exception):
    def __init__(self, status: str, code: str, reason: str) -> None:
        super().__init__(reason)
        self.status, self.code, self.reason = status, code, reason


def _category(status: str, code: str) -> RejectionCategory:
    if status == "infra":
        return RejectionCategory.infra
    if code in STATIC:
        return RejectionCategory.static_check
    if code in ("no_test_breaks", "import_crash", "tests_hang"):
        return RejectionCategory.verifier_unsound
    return RejectionCategory.invalid_spec


def group_text(original: str, outcome: InjectOutcome, ecosystem: str = "python") -> str:
    """The mutated file of an accepted outcome (the reverse of its gold patch)."""
    for mutation in file_mutations(outcome.path, original, ecosystem):
        if mutation.id == outcome.mutation_id:
            return mutation.apply(original)
    raise ValueError(f"mutation {outcome.mutation_id} is not in {outcome.path}")
