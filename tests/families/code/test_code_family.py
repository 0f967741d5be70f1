"""The code family end to end: `envfoundry run`, the stored tasks, `verify`, and HTTP episodes.

One run over the calc repository (tests/code_repo.py) stores: the clamp fix accepted with
its exact FAIL_TO_PASS, the flaky fix accepted without its flaky test, the refactor
(no failing test) and the docs fix rejected with their reasons; the broken build stores
nothing and makes the run exit 3 so that a rerun retries it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from envfoundry.envs.backends import get_backend
from envfoundry.runtime.client import RuntimeClient
from envfoundry.runtime.episodes import Runtime, RuntimeConfig
from envfoundry.runtime.server import ServerThread
from tests.families.code.conftest import CodeRun, cli

pytestmark = [pytest.mark.docker, pytest.mark.slow]

FIX_F2P = [
    "tests/test_calc.py::TestClamp::test_values[5-3]",
    "tests/test_calc.py::test_clamp_upper",
]
FIX_P2P = ["tests/test_calc.py::TestClamp::test_values[1-1]", "tests/test_calc.py::test_add"]


def show(run: CodeRun, task_id: str) -> dict[str, Any]:
    res = cli(run.data_dir, "tasks", "show", task_id, "--json")
    assert res.returncode == 0, res.stderr
    return dict(json.loads(res.stdout))


def test_the_run_accepts_the_fix_with_its_exact_fail_to_pass(code_run: CodeRun) -> None:
    (row,) = code_run.summary["rows"]
    assert row["family"] == "code" and row["accepted"] == 2, code_run.proc.stderr[-3000:]
    info = show(code_run, code_run.task_of("fix"))
    assert info["status"] == "accepted" and info["family"] == "code"
    assert info["tools"] == ["bash", "view_file", "edit_file"]
    verifier = info["verifier"]
    assert verifier["kind"] == "test_suite"
    assert verifier["config"]["FAIL_TO_PASS"] == FIX_F2P
    assert verifier["config"]["PASS_TO_PASS"] == FIX_P2P
    assert "test_clamp_upper" in verifier["config"]["test_patch"]
    assert info["reference_solution"].startswith("diff --git a/calc/__init__.py")
    assert "tests/" not in info["reference_solution"]
    # the prompt states the problem without the diff or the hidden tests' names
    assert info["prompt"].startswith("Fix clamp ignoring its upper bound")
    assert "min(hi" not in info["prompt"] and "test_clamp_upper" not in info["prompt"]
    labels = {a["label"]: a["passed"] for a in info["attempts"]}
    assert labels == {
        "reference": True,
        "reference:rerun": True,
        "control:empty": False,
        "control:tests_only": False,
    }
    flaky = show(code_run, code_run.task_of("flaky"))
    assert flaky["status"] == "accepted"
    assert flaky["verifier"]["config"]["FAIL_TO_PASS"] == ["tests/test_double.py::test_double"]
    assert flaky["provenance"]["validation"]["flaky"] == ["tests/test_double.py::test_alternates"]


def test_rejections_are_stored_with_reasons_and_a_broken_build_is_not(
    code_run: CodeRun,
) -> None:
    refactor = show(code_run, code_run.task_of("refactor"))
    assert refactor["status"] == "rejected"
    assert refactor["rejection_category"] == "verifier_unsound"
    reason = refactor["rejection_reason"]
    assert reason.startswith("no_fail_to_pass: no test fails before the fix and passes after it")
    assert "(test runs: blob " in reason
    docs = show(code_run, code_run.task_of("docs"))
    assert docs["rejection_category"] == "static_check"
    assert docs["rejection_reason"].startswith("only_tests_or_docs:")
    assert "README.md" in docs["rejection_reason"]
    # the broken build: infrastructure, nothing stored, the log's blob named; exit code 3
    assert code_run.proc.returncode == 3, code_run.proc.stderr[-2000:]
    with pytest.raises(AssertionError):
        code_run.task_of("broken")
    (error,) = code_run.summary["families"]["code"]["infra_errors"]
    assert "build_failed" in error and "(build log: blob " in error
    with code_run.store() as store:
        blob = error.split("(build log: blob ")[1].rstrip(")")
        assert "envfoundry-no-such-package-xyz" in store.blobs.get_bytes(blob).decode()


def test_a_rerun_stores_nothing_new_and_retries_the_broken_build(code_run: CodeRun) -> None:
    with code_run.store() as store:
        before = sorted(r.id for r in store.iter_tasks())
    res = cli(
        code_run.data_dir, "run", "--families", "code", "--code-repo", str(code_run.repo), "--json"
    )
    (row,) = json.loads(res.stdout)["rows"]
    # stored candidates are proposed from the store (no second validation): all skipped
    assert row["skipped_items"] == 4 and row["accepted"] == 0 and row["infra_errors"] == 1
    assert res.returncode == 3
    with code_run.store() as store:
        assert sorted(r.id for r in store.iter_tasks()) == before


def test_verify_passes_the_gold_patch_and_fails_a_diff_editing_the_tests(
    code_run: CodeRun, tmp_path: Path
) -> None:
    task_id = code_run.task_of("fix")
    gold = cli(code_run.data_dir, "verify", task_id, "--json")
    assert gold.returncode == 0, gold.stdout + gold.stderr
    assert json.loads(gold.stdout)["reward"] == 1.0
    # a "fix" that makes the new tests expect the bug, as raw diff text in a file
    test_patch = show(code_run, task_id)["verifier"]["config"]["test_patch"]
    cheat = tmp_path / "cheat.diff"
    cheat.write_text(test_patch.replace("== 3", "== 10"))
    res = cli(code_run.data_dir, "verify", task_id, "--answer", f"@{cheat}", "--json")
    assert res.returncode == 1, res.stdout + res.stderr
    verdict = json.loads(res.stdout)
    assert verdict["reward"] == 0.0 and not verdict["infra_error"]
    assert verdict["details"]["dropped_test_edits"] == ["tests/test_calc.py"]
    assert verdict["details"]["fail_to_pass_failing"] == FIX_F2P
    # the same diff as a JSON string is the same answer
    res = cli(code_run.data_dir, "verify", task_id, "--answer", json.dumps(cheat.read_text()))
    assert res.returncode == 1 and "FAIL reward=0.0" in res.stdout


@pytest.fixture
def runtime(code_run: CodeRun) -> Any:
    settings = code_run.settings
    store = code_run.store()
    backend = get_backend(settings)
    config = RuntimeConfig(tool_timeout_s=60, verifier_timeout_s=300)
    rt = Runtime(store, backend, settings, config)
    yield rt
    rt.close()
    backend.close()
    store.close()
    from envfoundry.envs.docker_backend import own_leftovers

    assert own_leftovers() == [], "containers left behind"


def test_an_http_episode_fixing_the_code_gets_1_and_one_editing_the_tests_gets_0(
    code_run: CodeRun, runtime: Runtime
) -> None:
    task_id = code_run.task_of("fix")
    with ServerThread(runtime) as srv, RuntimeClient(srv.url) as rc:
        with rc.open(task_id) as ep:
            names = [t["function"]["name"] for t in ep.tools]
            assert names == ["bash", "view_file", "edit_file", "submit"]
            assert ep.messages[1]["content"].startswith("Fix clamp ignoring its upper bound")
            listing = ep.call("view_file", {"path": "."})
            assert {"calc/", "tests/", "pyproject.toml"} <= set(listing["entries"])
            src = ep.call("view_file", {"path": "calc/__init__.py", "start_line": 9})
            assert src["start_line"] == 9 and "return max(lo, x)" in src["content"]
            outside = ep.call("view_file", {"path": "../../etc/passwd"})
            assert "outside the repository" in outside["error"]
            twice = ep.call(
                "edit_file", {"path": "calc/__init__.py", "old_str": "return", "new_str": "x"}
            )
            assert "found 3 times" in twice["error"]
            edit = ep.call(
                "edit_file",
                {
                    "path": "calc/__init__.py",
                    "old_str": "return max(lo, x)",
                    "new_str": "return min(hi, max(lo, x))",
                },
            )
            assert edit == {"path": "calc/__init__.py", "replaced_at_line": 10}, edit
            out = ep.call(
                "bash", {"command": "python -c 'import calc; print(calc.clamp(10, 0, 3))'"}
            )
            assert out["exit_code"] == 0 and out["stdout"].strip() == "3", out
            net = ep.call(
                "bash",
                {
                    "command": "python -c \"import socket; socket.create_connection(('1.1.1.1', 53), 3)\""
                },
            )
            assert net["exit_code"] != 0  # no network in the sandbox
            verdict = ep.submit("clamp now limits values to its upper bound")
            assert verdict.passed and verdict.reward == 1.0, verdict.reason
        with rc.open(task_id) as ep:
            # the tests say what the buggy code does; edits to tests are discarded on submit
            exists = ep.call(
                "edit_file", {"path": "tests/test_calc.py", "old_str": "", "new_str": "x"}
            )
            assert "exists" in exists["error"]
            cheat = ep.call(
                "edit_file",
                {
                    "path": "tests/test_calc.py",
                    "old_str": "assert add(2, 3) == 5\n",
                    "new_str": "assert add(2, 3) == 5\n\n\ndef test_clamp_upper():\n"
                    "    assert True\n",
                },
            )
            assert "error" not in cheat, cheat
            made = ep.call(
                "edit_file", {"path": "conftest.py", "old_str": "", "new_str": "x = 1\n"}
            )
            assert made == {"path": "conftest.py", "created": True, "lines": 1}
            verdict = ep.submit("the tests pass now")
            assert verdict.reward == 0.0 and not verdict.infra_error
            # the policy gets a generic verdict; the episode keeps the judge's details
            assert "dropped_test_edits" not in verdict.details
            full = runtime.get(ep.id).verdict
            assert full is not None and full.reward == 0.0
            assert full.details["dropped_test_edits"] == ["conftest.py", "tests/test_calc.py"]
            assert full.details["fail_to_pass_failing"] == FIX_F2P
        assert rc.health()["open_episodes"] == 0
