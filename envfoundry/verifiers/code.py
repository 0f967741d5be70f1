"""Test-suite verdicts for code tasks: validation of a fix and grading of a policy's diff.

Validation runs the tests of the test patch on the base tree plus the test patch
("before"), then with the gold patch too ("after", repeated). FAIL_TO_PASS are the tests
that did not pass before (failed, errored, or absent because their module did not import)
and passed in every after run; PASS_TO_PASS passed before and in every after run;
PASS_TO_FAIL passed before and never after. A test whose after runs disagree is flaky and
enters neither list. A fix is accepted iff FAIL_TO_PASS > 0 and PASS_TO_FAIL == 0, and
only when tests really ran: a run that did not end on its own (or left nothing readable
without an exit code) is infrastructure, never a pass; one where pytest ended but ran
no test (its modules do not import, pytest cannot start) rejects the fix.

Grading drops the policy's edits to tests and to whatever can hook the test run
(``conftest.py`` anywhere, pytest / tox / setup.cfg / pyproject configuration,
``sitecustomize``, ``.pth`` files, package metadata with entry points), restores the
sandbox's ``/work`` to its state before the policy ran (stopping the processes it left),
applies the rest and the test patch to the base tree, runs the test files and requires
every FAIL_TO_PASS and PASS_TO_PASS test to pass; a diff after which pytest runs no test
fails. What grading cannot stop: the policy's *code* runs inside the pytest process, so
code that patches pytest at import time is not caught here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict
from unidiff import PatchSet
from unidiff.errors import UnidiffParseError

from envfoundry.envs.code.paths import is_run_hook_path, is_test_path
from envfoundry.envs.code.testrun import TestRun
from envfoundry.envs.code.workspace import Workspace
from envfoundry.errors import SandboxError, StoreError
from envfoundry.models import Verdict

if TYPE_CHECKING:
    from envfoundry.envs.code.payload import CodeTaskPayload
    from envfoundry.envs.sandbox import Backend, Limits
    from envfoundry.storage.blobs import BlobStore

Decision = Literal["accepted", "rejected", "infra"]
BROKEN_RUN_REASONS = ("timeout", "oom", "killed", "infra_error")


class Classification(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    fail_to_pass: tuple[str, ...]
    pass_to_pass: tuple[str, ...]
    pass_to_fail: tuple[str, ...]
    flaky: tuple[str, ...]


class ValidationReport(BaseModel):
    """What validation saw and decided."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    decision: Decision
    code: str
    reason: str
    before: TestRun | None = None
    after: tuple[TestRun, ...] = ()
    classification: Classification | None = None


def classify(before: TestRun, after: Sequence[TestRun]) -> Classification:
    """FAIL_TO_PASS / PASS_TO_PASS / PASS_TO_FAIL / flaky from one before and N after runs."""
    if not after:
        raise ValueError("classification needs at least one after run")
    names = set(before.results)
    for run in after:
        names |= set(run.results)
    f2p, p2p, p2f, flaky = [], [], [], []
    for name in sorted(names):
        was = before.status(name)
        now = [run.status(name) for run in after]
        passed_now = [s == "passed" for s in now]
        if len(set(now)) > 1 and any(passed_now):
            flaky.append(name)
        elif was == "passed":
            if all(passed_now):
                p2p.append(name)
            else:
                p2f.append(name)
        elif was != "skipped" and all(passed_now):
            # Not passing before: failed, errored, or absent (its module did not import).
            f2p.append(name)
    return Classification(
        fail_to_pass=tuple(f2p),
        pass_to_pass=tuple(p2p),
        pass_to_fail=tuple(p2f),
        flaky=tuple(flaky),
    )


def not_run(run: TestRun) -> str | None:
    """Why pytest ran no test although it ended on its own, or None.

    Test modules that fail to import (an import the code lacks, an interpreter the code
    predates), or a pytest that cannot start or collects nothing: properties of the code
    and its environment, as deterministic as a failing test. None when tests ran, or when
    the run did not end on its own (no exit code, or timeout / OOM / kill: see
    ``_broken``), which says nothing about the code.
    """
    if run.ran or run.reason != "nonzero" or run.exit_code is None:
        return None
    if run.file_errors:
        errors = sorted(run.file_errors.items())[:3]
        return "the tests cannot be collected: " + "; ".join(
            f"{f}: {_last_line(e)}" for f, e in errors
        )
    return f"pytest ran no test (exit {run.exit_code}): {_last_line(run.output_tail)}"


def _last_line(message: str) -> str:
    """The last line of pytest's output, without its decoration or its timing (the reason
    goes into a task's spec, whose id must not change from run to run)."""
    lines = [line.strip(" =") for line in message.splitlines() if line.strip(" =")]
    return re.sub(r" in [\d.]+s\b", "", lines[-1] if lines else "")[:300]


def _broken(run: TestRun, what: str) -> str | None:
    if run.reason in BROKEN_RUN_REASONS:
        return f"the {what} test run ended by {run.reason} after {run.duration_s:.0f} s"
    return None


def validate_patches(
    workspace: Workspace,
    gold_patch: str,
    test_patch: str,
    targets: Sequence[str],
    repeats: int = 2,
    timeout_s: float | None = None,
) -> ValidationReport:
    """Run the before and after test runs in ``workspace`` (at its base tree) and decide."""
    if repeats < 1:
        raise ValueError("repeats must be at least 1")
    workspace.reset()
    applied = workspace.apply(test_patch)
    if not applied.ok:
        return ValidationReport(
            decision="rejected",
            code="test_patch_does_not_apply",
            reason=f"the test patch does not apply to the base commit: {applied.detail}",
        )
    before = workspace.run_tests(targets, timeout=timeout_s)
    if problem := _broken(before, "before"):
        return ValidationReport(decision="infra", code="run_broken", reason=problem, before=before)
    after: list[TestRun] = []
    fixed_tree: str | None = None
    for _ in range(repeats):
        if fixed_tree is not None:
            # The same tree again, in one exec instead of a reset and two applications.
            workspace.checkout_tree(fixed_tree)
        else:
            workspace.reset()
            for patch in (test_patch, gold_patch):
                applied = workspace.apply(patch)
                if not applied.ok:
                    return ValidationReport(
                        decision="rejected",
                        code="gold_patch_does_not_apply",
                        reason=f"the fix does not apply to the base commit: {applied.detail}",
                        before=before,
                    )
            if repeats > 1:
                fixed_tree = workspace.save_tree()
        run = workspace.run_tests(targets, timeout=timeout_s)
        after.append(run)
        if problem := _broken(run, "after"):
            return ValidationReport(
                decision="infra", code="run_broken", reason=problem, before=before, after=(*after,)
            )
        if why := not_run(run):
            return ValidationReport(
                decision="rejected",
                code="tests_do_not_run",
                reason=f"with the fix, {why}",
                before=before,
                after=(*after,),
            )
        if not run.ran:
            return ValidationReport(
                decision="infra",
                code="no_tests_parsed",
                reason="no test result could be parsed from the run with the fix "
                f"(exit {run.exit_code}, parser {run.parser}); tests did not really run"
                + "".join(f"; {f}: {e[:300]}" for f, e in list(run.file_errors.items())[:2]),
                before=before,
                after=(*after,),
            )
    workspace.reset()
    found = classify(before, after)
    decision: Decision = "accepted"
    code, reason = "accepted", f"{len(found.fail_to_pass)} FAIL_TO_PASS, "
    reason += f"{len(found.pass_to_pass)} PASS_TO_PASS over {repeats} runs with the fix"
    if found.pass_to_fail:
        decision, code = "rejected", "pass_to_fail"
        reason = f"the fix breaks {len(found.pass_to_fail)} passing tests: " + ", ".join(
            found.pass_to_fail[:5]
        )
    elif not found.fail_to_pass:
        decision, code = "rejected", "no_fail_to_pass"
        reason = "no test fails before the fix and passes after it"
        if found.flaky:
            reason += f" ({len(found.flaky)} flaky: {', '.join(found.flaky[:5])})"
    return ValidationReport(
        decision=decision,
        code=code,
        reason=reason,
        before=before,
        after=tuple(after),
        classification=found,
    )


# --------------------------------------------------------------------------- grading


def without_test_edits(diff: str) -> tuple[str, list[str]]:
    """``diff`` minus its files that are tests or can hook the test run, and those dropped."""
    if not diff.strip():
        return "", []
    patches = PatchSet(diff)
    kept, dropped = [], []
    for patched in patches:
        path = patched.path
        path = path[2:] if path.startswith(("a/", "b/")) else path
        source = patched.source_file[2:] if patched.source_file.startswith("a/") else ""
        if any(is_test_path(p) or is_run_hook_path(p) for p in (path, source) if p):
            dropped.append(path)
        else:
            text = str(patched)
            kept.append(text if text.endswith("\n") else text + "\n")
    return "".join(kept), dropped


def grade_diff(
    workspace: Workspace, payload: CodeTaskPayload, diff: str, timeout_s: float | None = None
) -> Verdict:
    """Grade a policy's ``diff`` against the base tree in ``workspace``."""
    try:
        kept, dropped = without_test_edits(diff)
    except UnidiffParseError as exc:
        return Verdict.fail(f"the submitted diff does not parse: {exc}")
    try:
        # Not a git reset: nothing the policy (or an earlier graded diff) left in the
        # sandbox — ignored files, install-prefix hooks, running processes — may stay.
        workspace.restore()
        applied = workspace.apply(kept)
        if not applied.ok:
            return Verdict.fail(
                f"the submitted diff does not apply: {applied.detail}", dropped=dropped
            )
        # The test patch goes on top of the policy's code: tests are always the task's own.
        tests = workspace.apply(payload.test_patch)
        if not tests.ok:
            return Verdict.fail(
                f"the task's tests do not apply over the submitted diff: {tests.detail}",
                dropped=dropped,
            )
        run = workspace.run_tests(payload.test_targets, timeout=timeout_s)
    except SandboxError as exc:
        return Verdict.infra(f"grading could not run: {exc}")
    if problem := _broken(run, "grading"):
        return Verdict.infra(problem)
    if why := not_run(run):
        return Verdict.fail(
            why,
            fail_to_pass_failing=list(payload.fail_to_pass[:50]),
            pass_to_pass_failing=list(payload.pass_to_pass[:50]),
            dropped_test_edits=dropped,
            parser=run.parser,
        )
    if not run.ran:
        return Verdict.infra(
            f"no test result could be parsed (exit {run.exit_code}, parser {run.parser})",
            output_tail=run.output_tail[-2000:],
        )
    missing = [t for t in payload.fail_to_pass if run.status(t) != "passed"]
    broken = [t for t in payload.pass_to_pass if run.status(t) != "passed"]
    details: dict[str, Any] = {
        "fail_to_pass_failing": missing[:50],
        "pass_to_pass_failing": broken[:50],
        "dropped_test_edits": dropped,
        "parser": run.parser,
    }
    if missing or broken:
        reason = f"{len(missing)}/{len(payload.fail_to_pass)} FAIL_TO_PASS and "
        reason += f"{len(broken)}/{len(payload.pass_to_pass)} PASS_TO_PASS tests do not pass"
        return Verdict.fail(reason, **details)
    return Verdict.ok(
        f"all {len(payload.fail_to_pass)} FAIL_TO_PASS and "
        f"{len(payload.pass_to_pass)} PASS_TO_PASS tests pass",
        **details,
    )


def grade_workspace(
    workspace: Workspace, payload: CodeTaskPayload, timeout_s: float | None = None
) -> Verdict:
    """Grade the live working tree of an episode (its changes since the base tree)."""
    try:
        diff = workspace.diff()
    except SandboxError as exc:
        return Verdict.infra(f"reading the working tree failed: {exc}")
    return grade_diff(workspace, payload, diff, timeout_s)


def grade(
    backend: Backend,
    blobs: BlobStore,
    payload: CodeTaskPayload,
    diff: str,
    limits: Limits | None = None,
) -> Verdict:
    """Grade ``diff`` in a fresh sandbox of the task's image (the replay path)."""
    try:
        source = blobs.get_bytes(payload.source_blob, "the task's source tree")
        workspace = Workspace.open(backend, payload.image, source, limits, "code-grade")
    except (SandboxError, StoreError) as exc:
        return Verdict.infra(f"opening the task's workspace failed: {exc}")
    with workspace:
        return grade_diff(workspace, payload, diff)
