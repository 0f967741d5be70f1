"""One candidate in, one outcome out: filter, split, build, validate, state the problem.

:func:`validate_candidate` is the code family's unit of work. Its outcome is accepted
(with a :class:`~envfoundry.envs.code.payload.CodeTaskPayload` ready to store and
replay), rejected (with a stable code and the specific reason) or infra (a build or a
sandbox failed, or the fix's own tests fail with the fix: ``setup_failed``; the log is
in the blob store). :func:`setup_problem` says which outcomes a setup recipe could repair. It never raises for a bad candidate.
It is two phases a caller may also run apart: :func:`prepare_candidate` (filters,
image, base tree: deterministic, no repository code runs) and :func:`validate_prepared`
(the test runs in a sandbox, and the problem statement).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from envfoundry.envs.code.ecosystems import PYTHON_NAME, Ecosystem, detect, get
from envfoundry.envs.code.images import EnvBuilder, EnvBuildError, RepoEnv
from envfoundry.envs.code.payload import MAX_PAYLOAD_BYTES, CodeTaskPayload, RepoRef
from envfoundry.envs.code.recipe import SetupRecipe
from envfoundry.envs.code.workspace import Workspace, code_limits
from envfoundry.errors import SandboxError
from envfoundry.generators.code.filters import FilterConfig, check_candidate
from envfoundry.generators.code.patches import PatchSplit
from envfoundry.generators.code.sources import Candidate, GitRepo, SourceError
from envfoundry.generators.code.statement import write_statement
from envfoundry.verifiers.code import ValidationReport, validate_patches

if TYPE_CHECKING:
    from envfoundry.config import Settings
    from envfoundry.envs.sandbox import Backend
    from envfoundry.storage.blobs import BlobStore

Status = Literal["accepted", "rejected", "infra"]


class CodeConfig(BaseModel):
    """Knobs of code-task validation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    repeats: int = Field(default=2, ge=1, le=10)
    test_timeout_s: float = Field(default=600.0, gt=0)
    memory: str = "2g"
    tmpfs: str = "1g"
    filters: FilterConfig = Field(default_factory=FilterConfig)


class CodeOutcome(BaseModel):
    """The judgement of one candidate and everything needed to store it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: Status
    code: str
    reason: str
    repo: RepoRef
    commit: str
    base_commit: str
    gold_patch: str = ""
    test_patch: str = ""
    fail_to_pass: tuple[str, ...] = ()
    pass_to_pass: tuple[str, ...] = ()
    pass_to_fail: tuple[str, ...] = ()
    flaky: tuple[str, ...] = ()
    image: str | None = None
    python_note: str = ""
    statement: str = ""
    log_blob: str | None = Field(default=None, description="build log, or the runs' report")
    log_tail: str = ""
    build_parent: str | None = Field(
        default=None, description="the image a failed layer builds on (where setup looks)"
    )
    payload: CodeTaskPayload | None = None
    timings: dict[str, float] = Field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        return self.status == "accepted"


def dependency_files(
    repo: GitRepo, commit: str, files: list[str], ecosystem: Ecosystem | None = None
) -> dict[str, str]:
    """Dependency file path → content at ``commit`` (of the tree's ecosystem)."""
    eco = ecosystem or detect(files) or get(PYTHON_NAME)
    out = {}
    for path in files:
        if eco.is_dependency_file(path):
            text = repo.read_file(commit, path)
            if text is not None:
                out[path] = text
    return out


def ensure_image(builder: EnvBuilder, payload: CodeTaskPayload) -> str:
    """The payload's dependency image, rebuilt from its dependency files when missing."""
    env = builder.build(payload.dependency_files, recipe=payload.setup_recipe)
    if env.image != payload.image:
        raise SandboxError(f"rebuilt image {env.image} differs from the task's {payload.image}")
    return env.image


@dataclass(frozen=True)
class PreparedCandidate:
    """A candidate that passed the static filters, with its image built and its tree archived."""

    candidate: Candidate
    split: PatchSplit
    dependency_files: dict[str, str]
    env: RepoEnv
    ecosystem: Ecosystem
    test_targets: tuple[str, ...]
    source: bytes
    source_blob: str
    build_s: float


def validate_candidate(
    candidate: Candidate,
    backend: Backend,
    blobs: BlobStore,
    settings: Settings,
    *,
    repo: GitRepo | None = None,
    builder: EnvBuilder | None = None,
    config: CodeConfig | None = None,
) -> CodeOutcome:
    """Filter, build, validate and state ``candidate``; see the module docstring."""
    cfg = config or CodeConfig()
    prepared = prepare_candidate(candidate, blobs, settings, repo=repo, builder=builder, config=cfg)
    if isinstance(prepared, CodeOutcome):
        return prepared
    return validate_prepared(prepared, backend, blobs, config=cfg)


def _outcome(
    candidate: Candidate, started: float, timings: dict[str, float]
) -> Callable[..., CodeOutcome]:
    common = {
        "repo": candidate.repo,
        "commit": candidate.commit,
        "base_commit": candidate.base_commit,
    }

    def outcome(status: Status, code: str, reason: str, **more: object) -> CodeOutcome:
        timings["total_s"] = round(time.monotonic() - started, 3)
        return CodeOutcome.model_validate(
            {"status": status, "code": code, "reason": reason, **common, **more, "timings": timings}
        )

    return outcome


def prepare_candidate(
    candidate: Candidate,
    blobs: BlobStore,
    settings: Settings,
    *,
    repo: GitRepo | None = None,
    builder: EnvBuilder | None = None,
    config: CodeConfig | None = None,
    recipe: SetupRecipe | None = None,
) -> PreparedCandidate | CodeOutcome:
    """Filter ``candidate``, build its dependency image and archive its base tree.

    Returns the prepared candidate, or the outcome that ends it here: rejected by a
    filter or by its Python requirement, or infra when the source or the build failed.
    Nothing runs the repository's code yet, so everything here is deterministic. A
    setup ``recipe`` (the repository's, see :mod:`envfoundry.envs.code.recipe`) goes
    into the dependency image.
    """
    cfg = config or CodeConfig()
    timings: dict[str, float] = {}
    outcome = _outcome(candidate, time.monotonic(), timings)
    try:
        repo = repo or GitRepo.open(candidate.repo, settings.data_dir / "code" / "repos")
        files_at_base = repo.list_files(candidate.base_commit)
    except SourceError as exc:
        return outcome("infra", "source_unavailable", str(exc))
    split, rejection = check_candidate(candidate, files_at_base, cfg.filters)
    if rejection is not None or split is None:
        more = {"gold_patch": split.gold_patch, "test_patch": split.test_patch} if split else {}
        code, reason = (rejection.code, rejection.reason) if rejection else ("filter", "")
        return outcome("rejected", code, reason, **more)
    patches = {"gold_patch": split.gold_patch, "test_patch": split.test_patch}

    builder = builder or EnvBuilder(settings, blobs)
    eco = detect(files_at_base) or get(PYTHON_NAME)
    dep_files = dependency_files(repo, candidate.base_commit, files_at_base, eco)
    t0 = time.monotonic()
    try:
        python = builder.python_for(dep_files, eco)
        if not python.satisfied:
            return outcome("rejected", "unsupported_python", python.note, **patches)
        env = builder.build(dep_files, python, eco, recipe=recipe)
    except EnvBuildError as exc:
        return outcome(
            "infra",
            "build_failed",
            str(exc),
            log_blob=exc.log_blob,
            log_tail=exc.log_tail,
            build_parent=exc.parent or None,
            **patches,
        )
    except SandboxError as exc:
        return outcome("infra", "build_failed", str(exc), **patches)
    build_s = round(time.monotonic() - t0, 3)
    try:
        source = repo.archive(candidate.base_commit)
    except SourceError as exc:
        return outcome("infra", "source_unavailable", str(exc), image=env.image, **patches)
    return PreparedCandidate(
        candidate=candidate,
        split=split,
        dependency_files=dep_files,
        env=env,
        ecosystem=eco,
        test_targets=split.targets_for(eco),
        source=source,
        source_blob=blobs.put_bytes(source),
        build_s=build_s,
    )


def validate_prepared(
    prepared: PreparedCandidate,
    backend: Backend,
    blobs: BlobStore,
    *,
    config: CodeConfig | None = None,
) -> CodeOutcome:
    """Run the before and after test runs of a prepared candidate and state its problem."""
    cfg = config or CodeConfig()
    candidate, split, env = prepared.candidate, prepared.split, prepared.env
    timings: dict[str, float] = {"build_s": prepared.build_s}
    outcome = _outcome(candidate, time.monotonic() - prepared.build_s, timings)
    patches = {"gold_patch": split.gold_patch, "test_patch": split.test_patch}
    built = {"image": env.image, "python_note": env.python.note, **patches}

    t0 = time.monotonic()
    try:
        limits = code_limits(cfg.test_timeout_s, memory=cfg.memory, tmpfs=cfg.tmpfs)
        with Workspace.open(
            backend, env.image, prepared.source, limits, "code-validate", prepared.ecosystem
        ) as workspace:
            timings["setup_s"] = workspace.setup_s
            report = validate_patches(
                workspace,
                split.gold_patch,
                split.test_patch,
                prepared.test_targets,
                repeats=cfg.repeats,
                timeout_s=cfg.test_timeout_s,
            )
    except SandboxError as exc:
        return outcome("infra", "sandbox_failed", str(exc), **built)
    timings["validate_s"] = round(time.monotonic() - t0, 3)
    log_blob = blobs.put_bytes(report.model_dump_json(indent=1).encode())
    found = report.classification
    lists = {}
    if found is not None:
        lists = {
            "fail_to_pass": found.fail_to_pass,
            "pass_to_pass": found.pass_to_pass,
            "pass_to_fail": found.pass_to_fail,
            "flaky": found.flaky,
        }
    tail = _tail(report)
    stuck = _stuck(report, split.test_files)
    if report.code == "no_fail_to_pass" and stuck:
        # The fix's own tests fail with the fix, every time: the environment cannot run
        # them (a missing program or library), or the commit is broken. Unjudged, so infra:
        # not stored, retried by the next run (with a setup recipe, or the setup agent).
        return outcome(
            "infra",
            "setup_failed",
            f"with the fix, {len(stuck)} of the fix's tests fail in every run ("
            + "; ".join(stuck[:3])
            + "): the environment cannot run them",
            log_blob=log_blob,
            log_tail=tail,
            **built,
            **lists,
        )
    if report.decision != "accepted" or found is None:
        return outcome(
            report.decision,
            report.code,
            report.reason,
            log_blob=log_blob,
            log_tail=tail,
            **built,
            **lists,
        )
    statement = write_statement(
        issue_title=candidate.issue_title,
        issue_body=candidate.issue_body,
        message=candidate.message,
        before=report.before,
        fail_to_pass=found.fail_to_pass,
    )
    payload = _payload(
        candidate,
        split.test_files,
        prepared.test_targets,
        env,
        prepared.dependency_files,
        prepared.source_blob,
        statement,
        report,
        patches,
    )
    if payload.size_bytes() > MAX_PAYLOAD_BYTES:
        return outcome(
            "rejected",
            "payload_too_large",
            f"the task payload is {payload.size_bytes()} bytes (max {MAX_PAYLOAD_BYTES})",
            log_blob=log_blob,
            **built,
            **lists,
        )
    return outcome(
        "accepted",
        report.code,
        report.reason,
        log_blob=log_blob,
        statement=statement,
        payload=payload,
        **built,
        **lists,
    )


def _payload(
    candidate: Candidate,
    test_files: tuple[str, ...],
    test_targets: tuple[str, ...],
    env: RepoEnv,
    dep_files: Mapping[str, str],
    source_blob: str,
    statement: str,
    report: ValidationReport,
    patches: Mapping[str, str],
) -> CodeTaskPayload:
    found = report.classification
    if found is None:
        raise ValueError("an accepted report has a classification")
    return CodeTaskPayload(
        repo=candidate.repo,
        base_commit=candidate.base_commit,
        fix_commit=candidate.commit,
        source_blob=source_blob,
        gold_patch=patches["gold_patch"],
        test_patch=patches["test_patch"],
        test_files=test_files,
        test_targets=test_targets,
        fail_to_pass=found.fail_to_pass,
        pass_to_pass=found.pass_to_pass,
        image=env.image,
        dependency_files=dict(dep_files),
        python=env.python.version,
        statement=statement,
        setup_recipe=env.recipe,
    )


def _stuck(report: ValidationReport, test_files: tuple[str, ...]) -> list[str]:
    """Tests of the fix's test files that failed in every run with the fix, with their
    last message line."""
    if not report.after:
        return []
    prefixes = tuple(f"{f}::" for f in test_files)
    last = report.after[-1]
    out = []
    for name in sorted(last.results):
        if not name.startswith(prefixes):
            continue
        if all(run.status(name) in ("failed", "error") for run in report.after):
            message = last.results[name].message.strip().splitlines()
            out.append(f"{name}: {message[-1][:200]}" if message else name)
    return out


# Outcomes that say the environment, not the commit, is what failed: the setup agent's cue.
SETUP_CODES = frozenset({"build_failed", "setup_failed", "tests_do_not_run", "no_tests_parsed"})


def setup_problem(outcome: CodeOutcome) -> str | None:
    """What a setup recipe would have to repair in ``outcome`` (its log), or None."""
    if outcome.code not in SETUP_CODES:
        return None
    return f"{outcome.code}: {outcome.reason}\n\n{outcome.log_tail}".strip()


def _tail(report: ValidationReport) -> str:
    runs = [*([report.before] if report.before else []), *report.after]
    return runs[-1].output_tail[-3000:] if runs else ""


def open_repo(location: str | Path, settings: Settings, name: str | None = None) -> GitRepo:
    """A :class:`GitRepo` for a path, bundle or URL, mirrored under the data directory."""
    from envfoundry.generators.code.sources import repo_ref

    return GitRepo.open(repo_ref(location, name), settings.data_dir / "code" / "repos")
