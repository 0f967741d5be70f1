"""The code family's judge and grading rules that need no sandbox: controls, prechecks, runs."""

from __future__ import annotations

from typing import NoReturn

import pytest

from envfoundry.envs.code.payload import CodeTaskPayload, RepoRef
from envfoundry.envs.code.testrun import TestResult, TestRun
from envfoundry.models import RejectionCategory, TaskSpec, VerifierSpec
from envfoundry.verifiers.acceptance import accept
from envfoundry.verifiers.code import not_run
from envfoundry.verifiers.code_judge import CodeJudge, without_largest_code_hunk

GOLD = (
    "diff --git a/README.md b/README.md\n--- a/README.md\n+++ b/README.md\n"
    "@@ -1 +1 @@\n-old\n+new\n"
    "diff --git a/pkg/mod.py b/pkg/mod.py\n--- a/pkg/mod.py\n+++ b/pkg/mod.py\n"
    "@@ -1,2 +1,2 @@\n-a = 1\n+a = 2\n b = 1\n"
    "@@ -10,2 +10,3 @@\n c = 1\n-d = 1\n+d = 2\n+e = 3\n"
)
TESTS = "diff --git a/tests/test_mod.py b/tests/test_mod.py\n--- a/tests/test_mod.py\n"


def payload() -> CodeTaskPayload:
    return CodeTaskPayload(
        repo=RepoRef(kind="path", location="/r", name="r"),
        base_commit="a" * 40,
        source_blob="b" * 64,
        gold_patch=GOLD,
        test_patch=TESTS,
        test_files=("tests/test_mod.py",),
        fail_to_pass=("tests/test_mod.py::test_e",),
        image="envfoundry/code-deps:x",
        python="3.11",
        statement="e is missing",
    )


def task() -> TaskSpec:
    return TaskSpec(
        env_id="env_x",
        family="code",
        category="r",
        prompt="e is missing",
        reference_solution=GOLD,
        verifier=VerifierSpec(kind="test_suite"),
    )


def no_workspace() -> NoReturn:
    raise AssertionError("nothing may run")


def test_a_partial_fix_drops_the_largest_code_hunk() -> None:
    partial = without_largest_code_hunk(GOLD)
    assert partial is not None
    assert "+a = 2" in partial and "+e = 3" not in partial and "+new" in partial
    single = "diff --git a/m.py b/m.py\n--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-a\n+b\n"
    assert without_largest_code_hunk(single) is None
    assert without_largest_code_hunk("not a diff") is None


def test_the_controls_are_the_empty_diff_the_tests_alone_and_a_partial_fix() -> None:
    judge = CodeJudge(payload(), no_workspace)
    reference = judge.solve(task())
    assert reference.answer == GOLD and reference.error is None
    controls = judge.controls(task(), reference)
    assert [c.label for c in controls] == ["empty", "tests_only", "gold_minus_hunk"]
    assert controls[0].answer == "" and controls[1].answer == TESTS
    assert controls[2].answer == without_largest_code_hunk(GOLD)


def test_a_rejection_found_by_validation_is_the_precheck_and_runs_nothing() -> None:
    reason = "no_fail_to_pass: no test fails before the fix and passes after it"
    judge = CodeJudge(None, no_workspace, rejection=(RejectionCategory.verifier_unsound, reason))
    outcome = accept(judge, task())
    assert not outcome.accepted and outcome.attempts == []
    assert outcome.rejection is RejectionCategory.verifier_unsound and outcome.reason == reason
    assert accept(CodeJudge(None, no_workspace), task()).rejection is RejectionCategory.invalid_spec


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        # the modules fail to import: as deterministic as a failing test
        (
            TestRun(
                file_errors={"t/test_a.py": "Traceback\nE   ImportError: cannot import name 'f'"},
                parser="junit",
                exit_code=1,
                reason="nonzero",
            ),
            "the tests cannot be collected: t/test_a.py: E   ImportError: cannot import name 'f'",
        ),
        # pytest itself cannot start (a pinned pytest older than the interpreter)
        (
            TestRun(
                exit_code=1,
                reason="nonzero",
                output_tail="Traceback ...\nImportError: No module named 'UserDict'\n",
            ),
            "pytest ran no test (exit 1): ImportError: No module named 'UserDict'",
        ),
        # nothing collected: a fixed text (pytest's timing would change the task's id)
        (
            TestRun(
                exit_code=5,
                reason="nonzero",
                output_tail="collected 0 items\n\n=========== no tests ran in 0.01s ===========\n",
            ),
            "pytest ran no test (exit 5): no tests ran",
        ),
        # the run did not end on its own, or never reported: says nothing about the code
        (TestRun(exit_code=137, reason="killed"), None),
        (TestRun(exit_code=None, reason="infra_error"), None),
        # tests ran: not this case
        (
            TestRun(
                results={"t/test_a.py::test_x": TestResult(status="failed")},
                file_errors={"t/test_b.py": "E"},
                exit_code=1,
                reason="nonzero",
            ),
            None,
        ),
    ],
)
def test_a_run_that_ended_without_running_a_test_is_a_verdict_not_infra(
    run: TestRun, expected: str | None
) -> None:
    assert not_run(run) == expected


def test_the_judge_never_grades_a_non_diff() -> None:
    judge = CodeJudge(payload(), no_workspace)
    verdict = judge.verify(task(), {"diff": GOLD}, fresh=True)
    assert not verdict.passed and "unified diff" in verdict.reason


def test_grading_drops_edits_to_tests_and_to_whatever_can_hook_the_test_run() -> None:
    from envfoundry.verifiers.code import without_test_edits

    def edit(path: str, old: str = "a/") -> str:
        return f"diff --git a/{path} b/{path}\n--- {old}{path}\n+++ b/{path}\n@@ -1 +1 @@\n-x\n+y\n"

    hooks = [
        "conftest.py",
        "src/pkg/conftest.py",
        "pyproject.toml",
        "setup.cfg",
        "tox.ini",
        "pytest.ini",
        ".pytest.ini",
        "sitecustomize.py",
        "pkg/usercustomize.py",
        "zz.pth",
        "cheat-1.0.dist-info/entry_points.txt",
        "pkg.egg-info/entry_points.txt",
        "tests/test_mod.py",
    ]
    code = ["pkg/mod.py", "pkg/config.py", "setup.py", "pkg/pyproject_helpers.py"]
    kept, dropped = without_test_edits("".join(edit(p) for p in [*hooks, *code]))
    assert dropped == hooks
    assert [line[6:] for line in kept.splitlines() if line.startswith("+++ ")] == code
    # A file renamed away from a test path is a test edit too.
    rename = (
        "diff --git a/tests/test_mod.py b/pkg/new.py\nsimilarity index 90%\n"
        "rename from tests/test_mod.py\nrename to pkg/new.py\n"
        "--- a/tests/test_mod.py\n+++ b/pkg/new.py\n@@ -1 +1 @@\n-x\n+y\n"
    )
    assert without_test_edits(rename) == ("", ["pkg/new.py"])
