"""`envfoundry runtime rollout` on code tasks of Go and JavaScript, through the episode API.

For each ecosystem a bug-injected task is made here (tests/code_repo_inject.py, through
`envfoundry run --code-inject`), then rolled out twice by a scripted policy served by the
project's OpenAI-compatible test server: the first rollout looks at the file, applies the
fix with ``edit_file`` (the gold patch's lines, as a policy would type them), runs the
tests with ``bash`` and submits — reward 1; the second submits without changing anything —
reward 0. The rewards are the stored attempts' verdicts, graded in the episode's sandbox.

A repository's suite needs more than the runtime's default budgets (10 s per tool call,
30 s to grade): the code family's episode driver raises them to its own floors (a bash call
up to 300 s, grading with validation's test timeout). The rollout runs with the runtime's
budgets set to half a second, which no suite meets, to show the floors are what applies.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from envfoundry.config import Settings
from envfoundry.envs.docker_api import docker_answers
from envfoundry.generators.llm.testserver import FakeLLMServer
from envfoundry.models import AttemptKind
from envfoundry.storage import Store
from tests.code_repo_inject import make_go_inject_repo, make_js_inject_repo
from tests.families.code.conftest import cli

pytestmark = [pytest.mark.docker, pytest.mark.slow]

ECOSYSTEMS = {
    "go": (make_go_inject_repo, "go test ./...", "ok"),
    "javascript": (make_js_inject_repo, "node_modules/.bin/mocha test/", "2 passing"),
}


def tool(name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {"reply": {"content": None, "tool_calls": [{"name": name, "arguments": args}]}}


def say(text: str) -> dict[str, Any]:
    return {"reply": {"content": text}}


def fix_from(gold: str) -> tuple[str, str, str]:
    """(path, old text, new text) of a one-hunk diff: what edit_file must replace."""
    path = re.search(r"^\+\+\+ b/(\S+)$", gold, re.MULTILINE)
    assert path is not None, gold
    old = [ln[1:] for ln in gold.splitlines() if ln.startswith("-") and not ln.startswith("---")]
    new = [ln[1:] for ln in gold.splitlines() if ln.startswith("+") and not ln.startswith("+++")]
    return path.group(1), "\n".join(old), "\n".join(new)


@pytest.mark.parametrize("ecosystem", sorted(ECOSYSTEMS))
def test_rollouts_fix_and_no_op(
    tmp_path: Path, ecosystem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not docker_answers():
        pytest.skip("no Docker daemon answers (scripts/provision_docker.sh starts one)")
    make_repo, test_command, passing = ECOSYSTEMS[ecosystem]
    root = tmp_path / "repo"
    make_repo(root)
    data = tmp_path / "data"
    made = cli(data, "run", "--families", "code", "--code-repo", str(root), "--code-inject")
    assert made.returncode == 0, made.stderr[-3000:]
    settings = Settings(data_dir=data, sandbox_backend="docker")
    with Store.from_settings(settings) as store:
        (task,) = [r.spec for r in store.iter_tasks() if r.status == "accepted"]
    path, old, new = fix_from(task.reference_solution or "")

    steps = [
        # rollout 0: read, fix through edit_file, check with the repository's tests, submit
        tool("view_file", {"path": path}),
        tool("edit_file", {"path": path, "old_str": old, "new_str": new}),
        tool("bash", {"command": test_command}),
        tool("submit", {"answer": "fixed the wrong operator"}),
        say("done"),
        # rollout 1: submit the tree as it is
        tool("submit", {"answer": "looks fine to me"}),
        say("done"),
    ]
    monkeypatch.setenv("ENVFOUNDRY_RUNTIME_TOOL_TIMEOUT_S", "0.5")
    monkeypatch.setenv("ENVFOUNDRY_RUNTIME_VERIFIER_TIMEOUT_S", "0.5")
    with FakeLLMServer(steps, model="fake-policy") as llm:
        proc = cli(
            data,
            "runtime",
            "rollout",
            task.id,
            "--k",
            "2",
            "--concurrency",
            "1",
            "--base-url",
            llm.base_url,
            "--model",
            "fake-policy",
            "--no-band",
            "--json",
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert llm.remaining == 0
    (summary,) = json.loads(proc.stdout)
    assert (summary["n"], summary["c"]) == (2, 1), proc.stdout

    with Store.from_settings(settings) as store:
        attempts = {
            a.label: a for a in store.list_attempts(task.id) if a.kind is AttemptKind.rollout
        }
        fixed, untouched = attempts["rollout:fake-policy:0"], attempts["rollout:fake-policy:1"]
        assert fixed.verdict.reward == 1.0 and fixed.verdict.passed, fixed.verdict.reason
        assert untouched.verdict.reward == 0.0 and not untouched.verdict.passed
        trajectory = json.loads(store.blobs.get_bytes(fixed.trajectory_blob or ""))
    calls = trajectory["agent"]["tool_calls"]
    assert [c["name"] for c in calls] == ["view_file", "edit_file", "bash", "submit"]
    assert old.strip() in calls[0]["result"]  # the bug was there to see
    assert not calls[1]["error"]
    assert passing in calls[2]["result"]  # the policy's own test run passed after the fix
