"""One candidate in, one outcome out: filter, split, build, validate, state the problem.

:func:`validate_candidate` is the code family's unit of work. Its outcome is accepted
(with a :class:`~envfoundry.envs.code.payload.CodeTaskPayload` ready to store and
replay), rejected (with a stable code and the specific reason) or infra (a build or a
sandbox failed; the log is in the blob store). It never raises for a bad candidate.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from envfoundry.envs.code.deps import is_dependency_file
from envfoundry.envs.code.images import EnvBuilder, EnvBuildError, RepoEnv
from envfoundry.envs.code.payload import MAX_PAYLOAD_BYTES, CodeTaskPayload, RepoRef
from envfoundry.envs.code.workspace import Workspace, code_limits
from envfoundry.errors import SandboxError
from envfoundry.generators.code.filters import FilterConfig, check_candidate
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
    payload: CodeTaskPayload | None = None
    timings: dict[str, float] = Field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        return self.status == "accepted"


def dependency_files(repo: GitRepo, commit: str, files: list[str]) -> dict[str, str]:
    """Dependency file path → content at ``commit``."""
    out = {}
    for path in files:
        if is_dependency_file(path):
            text = repo.read_file(commit, path)
            if text is not None:
                out[path] = text
    return out


def ensure_image(builder: EnvBuilder, payload: CodeTaskPayload) -> str:
    """The payload's dependency image, rebuilt from its dependency files when missing."""
    env = builder.build(payload.dependency_files)
    if env.image != payload.image:
        raise SandboxError(f"rebuilt image {env.image} differs from the task's {payload.image}")
    return env.image


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
    timings: dict[str, float] = {}
    started = time.monotonic()
    common = {"repo": candidate.repo, "commit": candidate.commit}
    common["base_commit"] = candidate.base_commit

    def outcome(status: Status, code: str, reason: str, **more: object) -> CodeOutcome:
        timings["total_s"] = round(time.monotonic() - started, 3)
        return CodeOutcome.model_validate(
            {"status": status, "code": code, "reason": reason, **common, **more, "timings": timings}
        )

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
    dep_files = dependency_files(repo, candidate.base_commit, files_at_base)
    t0 = time.monotonic()
    try:
        python = builder.python_for(dep_files)
        if not python.satisfied:
            return outcome("rejected", "unsupported_python", python.note, **patches)
        env = builder.build(dep_files, python)
    except EnvBuildError as exc:
        return outcome(
            "infra",
            "build_failed",
            str(exc),
            log_blob=exc.log_blob,
            log_tail=exc.log_tail,
            **patches,
        )
    except SandboxError as exc:
        return outcome("infra", "build_failed", str(exc), **patches)
    timings["build_s"] = round(time.monotonic() - t0, 3)
    built = {"image": env.image, "python_note": env.python.note, **patches}

    t0 = time.monotonic()
    try:
        source = repo.archive(candidate.base_commit)
        source_blob = blobs.put_bytes(source)
        limits = code_limits(cfg.test_timeout_s, memory=cfg.memory, tmpfs=cfg.tmpfs)
        with Workspace.open(backend, env.image, source, limits, "code-validate") as workspace:
            timings["setup_s"] = workspace.setup_s
            report = validate_patches(
                workspace,
                split.gold_patch,
                split.test_patch,
                split.test_targets,
                repeats=cfg.repeats,
                timeout_s=cfg.test_timeout_s,
            )
    except (SandboxError, SourceError) as exc:
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
        split.test_targets,
        env,
        dep_files,
        source_blob,
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
    )


def _tail(report: ValidationReport) -> str:
    runs = [*([report.before] if report.before else []), *report.after]
    return runs[-1].output_tail[-3000:] if runs else ""


def open_repo(location: str | Path, settings: Settings, name: str | None = None) -> GitRepo:
    """A :class:`GitRepo` for a path, bundle or URL, mirrored under the data directory."""
    from envfoundry.generators.code.sources import repo_ref

    return GitRepo.open(repo_ref(location, name), settings.data_dir / "code" / "repos")
