"""The code family's judge inside the shared acceptance policy: answers are unified diffs.

The reference is the gold patch; it passes when every FAIL_TO_PASS and PASS_TO_PASS
test passes on the base tree with it (and the task's test patch on top). The controls
that must fail: the empty diff, a diff that only edits tests (the test patch itself:
grading drops edits to tests, so it is the unfixed code), and, when the gold patch has
several hunks, the gold patch without its largest code hunk (a partial fix).

Every answer is graded in one workspace, reset to the base tree before each grading.
A grading that could not run (no tests parsed, a broken sandbox) raises
:class:`~envfoundry.errors.SandboxError`: the policy turns it into an infra outcome,
never into a verdict on the task.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from unidiff import PatchSet
from unidiff.errors import UnidiffParseError

from envfoundry.envs.code.paths import is_doc_path, is_test_path
from envfoundry.envs.code.payload import CodeTaskPayload
from envfoundry.envs.code.workspace import Workspace
from envfoundry.errors import SandboxError
from envfoundry.models import RejectionCategory, TaskSpec, Verdict
from envfoundry.verifiers.acceptance import Control, Solution
from envfoundry.verifiers.code import grade_diff


def without_largest_code_hunk(diff: str) -> str | None:
    """``diff`` minus its largest hunk in a code file, or None when it has a single hunk.

    Code files are the ones that are neither tests nor documentation; the largest hunk
    (most changed lines, the first on a tie) is the one a partial fix most likely lacks.
    """
    try:
        patches = PatchSet(diff)
    except UnidiffParseError:
        return None
    hunks = [(f, h) for f in patches for h in f]
    if len(hunks) < 2:
        return None
    code = [
        (f, h)
        for f, h in hunks
        if not is_test_path(_path(f.path)) and not is_doc_path(_path(f.path))
    ]
    if not code:
        return None
    drop = max(code, key=lambda fh: fh[1].added + fh[1].removed)[1]
    parts = []
    for patched in patches:
        kept = [h for h in patched if h is not drop]
        if not kept:
            continue  # the file's only hunk: leave the file out
        header = str(patched)[: len(str(patched)) - len("".join(str(h) for h in patched))]
        parts.append(header + "".join(str(h) for h in kept))
    text = "".join(p if p.endswith("\n") else p + "\n" for p in parts)
    return text or None


def _path(path: str) -> str:
    return path[2:] if path.startswith(("a/", "b/")) else path


class CodeJudge:
    """Grades diffs of one code task in one lazily opened workspace; close it when done.

    ``rejection`` is what validation already decided (a filter, no FAIL_TO_PASS, …):
    :meth:`precheck` reports it, and nothing is run.
    """

    def __init__(
        self,
        payload: CodeTaskPayload | None,
        open_workspace: Callable[[], Workspace],
        *,
        timeout_s: float | None = None,
        rejection: tuple[RejectionCategory, str] | None = None,
    ) -> None:
        self.payload = payload
        self._open = open_workspace
        self.timeout_s = timeout_s
        self.rejection = rejection
        self.sandbox_s = 0.0
        self._workspace: Workspace | None = None

    def precheck(self, task: TaskSpec) -> tuple[RejectionCategory, str] | None:
        if self.rejection is not None:
            return self.rejection
        if self.payload is None:
            return RejectionCategory.invalid_spec, "the task has no runnable test suite"
        return None

    def solve(self, task: TaskSpec, source: str | None = None) -> Solution:
        """The reference's answer is its gold patch (a diff needs no running to produce)."""
        diff = source if source is not None else task.reference_solution
        if not diff:
            return Solution(error="the task has no gold patch")
        return Solution(answer=diff)

    def verify(self, task: TaskSpec, answer: Any, *, fresh: bool) -> Verdict:
        # grade_diff always starts from the base tree: every verdict is on a fresh state
        if self.payload is None:
            return Verdict.fail("the task has no runnable test suite")
        if not isinstance(answer, str):
            return Verdict.fail("a code task's answer is a unified diff (a string)")
        t0 = time.monotonic()
        try:
            if self._workspace is None:
                self._workspace = self._open()
            verdict = grade_diff(self._workspace, self.payload, answer, self.timeout_s)
        finally:
            self.sandbox_s += time.monotonic() - t0
        if verdict.infra_error:
            raise SandboxError(verdict.reason)
        return verdict

    def verify_many(self, task: TaskSpec, answers: list[Any]) -> list[Verdict]:
        return [self.verify(task, a, fresh=True) for a in answers]

    def controls(self, task: TaskSpec, reference: Solution) -> list[Control]:
        if self.payload is None:
            return []
        out = [Control("empty", answer="")]
        if self.payload.test_patch.strip():  # an injected bug's tests are in the tree already
            out.append(Control("tests_only", answer=self.payload.test_patch))
        partial = without_largest_code_hunk(self.payload.gold_patch)
        if partial is not None:
            out.append(Control("gold_minus_hunk", answer=partial))
        return out

    def close(self) -> None:
        workspace, self._workspace = self._workspace, None
        if workspace is not None:
            workspace.close()
