"""validate_candidate end to end on a repository built by git, in real Docker sandboxes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from envfoundry.config import Settings
from envfoundry.envs.code.payload import CodeTaskPayload
from envfoundry.envs.code.workspace import Workspace
from envfoundry.generators.code.pipeline import CodeOutcome, open_repo, validate_candidate
from envfoundry.generators.code.sources import git_candidates
from envfoundry.storage.blobs import BlobStore
from envfoundry.verifiers.code import grade, grade_workspace

pytestmark = [pytest.mark.docker, pytest.mark.slow]

_OUTCOMES: dict[str, CodeOutcome] = {}


def outcome_of(
    name: str,
    calc_repo: tuple[Path, dict[str, str]],
    settings: Settings,
    backend: Any,
    blobs: BlobStore,
    builder: Any,
) -> CodeOutcome:
    if name not in _OUTCOMES:
        root, shas = calc_repo
        repo = open_repo(root, settings)
        candidate = repo.candidate(shas[name])
        _OUTCOMES[name] = validate_candidate(
            candidate, backend, blobs, settings, repo=repo, builder=builder
        )
    return _OUTCOMES[name]


@pytest.fixture
def run(
    calc_repo: tuple[Path, dict[str, str]],
    code_settings: Settings,
    code_backend: Any,
    code_blobs: BlobStore,
    code_builder: Any,
) -> Any:
    return lambda name: outcome_of(
        name, calc_repo, code_settings, code_backend, code_blobs, code_builder
    )


def test_the_source_lists_every_commit_changing_tests_and_code(
    calc_repo: tuple[Path, dict[str, str]], code_settings: Settings
) -> None:
    root, shas = calc_repo
    found = [c.commit for c in git_candidates(open_repo(root, code_settings))]
    # Newest first; the initial commit has no base and break_deps changes no test.
    assert found == [shas[n] for n in ("broken", "docs", "flaky", "refactor", "fix")]


def test_an_issue_like_fix_is_accepted_with_its_exact_fail_to_pass(run: Any) -> None:
    out = run("fix")
    assert out.status == "accepted", (out.reason, out.log_tail)
    assert out.fail_to_pass == (
        "tests/test_calc.py::TestClamp::test_values[5-3]",
        "tests/test_calc.py::test_clamp_upper",
    )
    assert out.pass_to_pass == (
        "tests/test_calc.py::TestClamp::test_values[1-1]",
        "tests/test_calc.py::test_add",
    )
    assert out.pass_to_fail == () and out.flaky == ()
    assert out.image and out.image.startswith("envfoundry/code-deps:")
    assert "3.11" in out.python_note
    payload = out.payload
    assert payload is not None and payload.size_bytes() < 100_000
    assert payload.test_files == ("tests/test_calc.py",)
    assert payload.test_targets == ("tests/test_calc.py",)
    assert "calc/__init__.py" in payload.gold_patch and "tests/" not in payload.gold_patch
    # The statement is the commit message and the observed errors, never the diff.
    assert out.statement.startswith("Fix clamp ignoring its upper bound")
    assert "clamp(10, 0, 3)" in out.statement and "Signed-off-by" not in out.statement
    assert "min(hi" not in out.statement and "test_clamp_upper" not in out.statement
    assert CodeTaskPayload.model_validate_json(payload.model_dump_json()) == payload


def test_a_fix_without_a_failing_test_is_rejected_with_its_reason(run: Any) -> None:
    out = run("refactor")
    assert out.status == "rejected" and out.code == "no_fail_to_pass"
    assert "no test fails before the fix" in out.reason
    assert out.fail_to_pass == () and "tests/test_calc.py::test_add_negative" in out.pass_to_pass
    assert out.log_blob  # the runs are kept


def test_a_flaky_test_never_enters_fail_to_pass(run: Any) -> None:
    out = run("flaky")
    assert out.status == "accepted", out.reason
    assert out.fail_to_pass == ("tests/test_double.py::test_double",)
    assert out.flaky == ("tests/test_double.py::test_alternates",)
    assert "tests/test_double.py::test_alternates" not in out.pass_to_pass


def test_a_docs_only_fix_is_rejected_before_anything_is_built(run: Any) -> None:
    out = run("docs")
    assert out.status == "rejected" and out.code == "only_tests_or_docs"
    assert "README.md" in out.reason and out.image is None


def test_a_broken_build_is_infra_with_its_log(run: Any, code_blobs: BlobStore) -> None:
    out = run("broken")
    assert out.status == "infra" and out.code == "build_failed"
    assert out.log_blob is not None
    log = code_blobs.get_bytes(out.log_blob).decode()
    assert "envfoundry-no-such-package-xyz" in log and "No matching distribution" in log
    assert "No matching distribution" in out.log_tail


def test_grading_the_gold_patch_passes_and_editing_the_tests_does_not(
    run: Any, code_backend: Any, code_blobs: BlobStore
) -> None:
    payload = run("fix").payload
    assert payload is not None
    gold = grade(code_backend, code_blobs, payload, payload.gold_patch)
    assert gold.passed and gold.reward == 1.0, gold.reason
    # A "solution" that rewrites the tests to expect the bug: its test edits are dropped.
    cheat = payload.test_patch.replace("== 3", "== 10")
    assert cheat != payload.test_patch
    verdict = grade(code_backend, code_blobs, payload, cheat)
    assert not verdict.passed and verdict.reward == 0.0 and not verdict.infra_error
    assert verdict.details["dropped_test_edits"] == ["tests/test_calc.py"]
    empty = grade(code_backend, code_blobs, payload, "")
    assert not empty.passed and empty.reward == 0.0 and not empty.infra_error
    garbage = grade(code_backend, code_blobs, payload, "this is not a diff\n")
    assert garbage.reward == 0.0 and not garbage.infra_error


def test_an_episode_edits_the_live_tree_and_is_graded_from_it(
    run: Any, code_backend: Any, code_blobs: BlobStore
) -> None:
    payload = run("fix").payload
    assert payload is not None
    source = code_blobs.get_bytes(payload.source_blob)
    with Workspace.open(code_backend, payload.image, source) as ws:
        # The episode starts at the base tree: no test patch, the bug still there.
        code = ws.sandbox.get_file("repo/calc/__init__.py").decode()
        assert "return max(lo, x)" in code
        assert "test_clamp_upper" not in ws.sandbox.get_file("repo/tests/test_calc.py").decode()
        ws.sandbox.put_file(
            "repo/calc/__init__.py",
            code.replace("return max(lo, x)", "return hi if x > hi else max(lo, x)").encode(),
        )
        assert ws.changed_files() == ["calc/__init__.py"]
        verdict = grade_workspace(ws, payload)
        assert verdict.passed and verdict.reward == 1.0, verdict.reason
