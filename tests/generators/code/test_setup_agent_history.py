"""The setup agent in history mode: a repository whose environment lacks a system package.

``jqwrap`` (``tests.code_repo``) wraps the ``jq`` program (a Debian package the base
image does not have): its tests run it through ``subprocess``. Without the agent its fix
commit cannot be judged (the fix's own tests fail with the fix: ``setup_failed``, infra). With the agent, driven
by the scripted OpenAI-compatible server, the bash tool shows it ``jq`` is missing, its
recipe installs the package in the dependency image, the fix is accepted on that image
and the recipe is stored; a later fix of the repository reuses it without the LLM. A
second repository's dependency does not even build (a C extension without a compiler):
the agent repairs the dependency-image build. A model that never finds the fix is
stopped after its bounded attempts with the reason.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from envfoundry.config import Settings
from envfoundry.envs.code.images import EnvBuilder
from envfoundry.envs.code.recipe import SetupRecipe
from envfoundry.envs.docker_backend import own_leftovers
from envfoundry.families import WorkItem
from envfoundry.families.code import CodeConfig, CodeWorker, code_payload
from envfoundry.generators.code.pipeline import ensure_image
from envfoundry.generators.code.setup_agent import RecipeStore
from envfoundry.generators.llm.testserver import FakeLLMServer
from envfoundry.models import RejectionCategory
from envfoundry.storage import Store
from tests.code_repo import make_history, make_jqwrap_repo, pyproject
from tests.families.code.conftest import cli

pytestmark = [pytest.mark.docker, pytest.mark.slow]

IFACES = '''\
"""Network interface names (through netifaces, a C extension built from source)."""

import netifaces


def names():
    return sorted(netifaces.interfaces())


def has_loopback():
    """Whether the loopback interface is there."""
    return "lo" not in names()
'''
IFACES_TEST = """\
from ifaces import names


def test_names():
    assert names() == sorted(names())
"""
LOOPBACK_TEST = """

def test_has_loopback():
    from ifaces import has_loopback

    assert has_loopback()
"""


def make_ifaces(root: Path) -> dict[str, str]:
    return make_history(
        root,
        [
            (
                "base",
                {
                    "pyproject.toml": pyproject("ifaces", deps='["netifaces==0.11.0"]'),
                    "ifaces/__init__.py": IFACES,
                    "tests/test_ifaces.py": IFACES_TEST,
                },
                "ifaces: network interface names",
            ),
            (
                "loopback",
                {
                    "ifaces/__init__.py": IFACES.replace('"lo" not in', '"lo" in'),
                    "tests/test_ifaces.py": IFACES_TEST + LOOPBACK_TEST,
                },
                "Fix has_loopback() answering the opposite\n\n"
                "has_loopback() said False on every machine that has a loopback interface.",
            ),
        ],
    )


def _call(name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {"reply": {"content": None, "tool_calls": [{"name": name, "arguments": args}]}}


def _settings(data: Path, server: FakeLLMServer | None = None) -> Settings:
    llm = (
        {"llm_base_url": server.base_url, "llm_model": server.model, "llm_cache": False}
        if server is not None
        else {"llm_base_url": None, "llm_model": None}
    )
    settings = Settings(data_dir=data, sandbox_backend="docker", llm_max_retries=0, **llm)
    with Store.from_settings(settings) as store:
        store.upgrade()
    return settings


def _propose_and_accept(
    repo: Path, sha: str, settings: Settings, backend: Any, **cfg: Any
) -> tuple[Any, Any, CodeWorker]:
    worker = CodeWorker(CodeConfig(repo=str(repo), **cfg), settings, backend)
    item = WorkItem(family="code", category=repo.name, index=0, params={"commit": sha})
    proposal = worker.propose(item)
    (outcome,) = worker.accept(proposal, "run-setup")
    return proposal, outcome, worker


def _tool_results(requests: list[dict[str, Any]]) -> str:
    return json.dumps(
        [m["content"] for r in requests for m in r["messages"] if m.get("role") == "tool"]
    )


def _has(image: str, program: str) -> bool:
    proc = subprocess.run(
        ["docker", "run", "--rm", "--network", "none", image, "sh", "-c", f"command -v {program}"],
        capture_output=True,
        check=False,
    )
    return proc.returncode == 0


def test_the_agent_repairs_a_missing_system_package_and_the_recipe_is_reused(
    tmp_path: Path, code_backend: Any
) -> None:
    root = tmp_path / "jqwrap"
    shas = make_jqwrap_repo(root)
    data = tmp_path / "data"

    # without the agent: the fix's own tests fail with the fix, the commit is infra
    proposal, outcome, worker = _propose_and_accept(
        root, shas["keys"], _settings(data), code_backend
    )
    worker.close()
    assert not outcome.accepted and outcome.rejection is RejectionCategory.infra
    assert outcome.reason.startswith("setup_failed: with the fix, 2 of the fix's tests fail")
    assert "No such file or directory: 'jq'" in outcome.reason
    bare_image = proposal.environments[0].payload.data["image"]
    assert not _has(bare_image, "jq")

    diagnose = "command -v jq || echo 'jq: not installed'"
    steps = [
        _call("bash", {"command": diagnose}),
        _call("submit_recipe", {"system_packages": ["jq"], "note": "the tests run jq"}),
        {"reply": {"content": "submitted"}},
    ]
    with FakeLLMServer(steps) as server:
        settings = _settings(data, server)
        proposal, outcome, worker = _propose_and_accept(root, shas["keys"], settings, code_backend)
        asked = server.request_count
        tools = _tool_results(server.requests)
        assert outcome.accepted, outcome.reason
        # the diagnostic really ran in the repository's sandbox, and the log reached it
        assert "jq: not installed" in tools
        first_prompt = server.requests[0]["messages"][-1]["content"]
        assert "setup_failed" in first_prompt and "'jq'" in first_prompt
        task = outcome.task
        assert task.verifier.config["FAIL_TO_PASS"] == ["tests/test_jqwrap.py::test_keys_sorted"]
        assert task.verifier.config["PASS_TO_PASS"] == ["tests/test_jqwrap.py::test_query_field"]
        env = proposal.environments[0]
        payload = code_payload(env, task)
        recipe = SetupRecipe(system_packages=("jq",), note="the tests run jq")
        assert payload.setup_recipe == recipe
        assert payload.image != bare_image and _has(payload.image, "jq")
        assert payload.image.startswith("envfoundry/code-deps:")
        assert RecipeStore.from_settings(settings).get("jqwrap") == recipe
        # the image is rebuilt from the payload alone: dependency files and recipe
        assert ensure_image(EnvBuilder(settings, worker.blobs), payload) == payload.image
        worker.close()

        # a later fix of the repository: the stored recipe, and no LLM request
        proposal, outcome, worker = _propose_and_accept(root, shas["first"], settings, code_backend)
        worker.close()
        assert outcome.accepted, outcome.reason
        assert outcome.task.verifier.config["FAIL_TO_PASS"] == ["tests/test_jqwrap.py::test_first"]
        assert proposal.environments[0].payload.data["image"] == payload.image
        assert server.request_count == asked == 3
    assert own_leftovers() == []


def test_the_agent_repairs_a_dependency_image_that_does_not_build(
    tmp_path: Path, code_backend: Any
) -> None:
    root = tmp_path / "ifaces"
    shas = make_ifaces(root)
    data = tmp_path / "data"
    _, outcome, worker = _propose_and_accept(root, shas["loopback"], _settings(data), code_backend)
    worker.close()
    assert outcome.rejection is RejectionCategory.infra
    assert outcome.reason.startswith("build_failed:"), outcome.reason

    packages = ["gcc", "libc6-dev", "python3-dev"]
    steps = [
        _call("bash", {"command": "command -v gcc || echo 'gcc: not installed'"}),
        _call("submit_recipe", {"system_packages": packages, "note": "netifaces compiles"}),
        {"reply": {"content": "submitted"}},
    ]
    with FakeLLMServer(steps) as server:
        settings = _settings(data, server)
        proposal, outcome, worker = _propose_and_accept(
            root, shas["loopback"], settings, code_backend
        )
        worker.close()
        # the build log reached the model; its bash ran in the image under the failed layer
        first_prompt = server.requests[0]["messages"][-1]["content"]
        assert "build_failed" in first_prompt and "netifaces" in first_prompt
        assert "gcc: not installed" in _tool_results(server.requests)
        assert server.request_count == 3
    assert outcome.accepted, outcome.reason
    f2p = outcome.task.verifier.config["FAIL_TO_PASS"]
    assert f2p == ["tests/test_ifaces.py::test_has_loopback"]
    image = proposal.environments[0].payload.data["image"]
    assert _has(image, "gcc")
    stored = RecipeStore.from_settings(settings).get("ifaces")
    assert stored is not None and stored.system_packages == tuple(packages)
    assert own_leftovers() == []


def test_a_model_that_never_repairs_it_is_stopped_with_the_reason(
    tmp_path: Path, code_backend: Any
) -> None:
    root = tmp_path / "jqwrap"
    shas = make_jqwrap_repo(root)
    data = tmp_path / "data"
    wrong = _call("submit_recipe", {"system_packages": ["bc"], "note": "a calculator"})
    steps = [wrong, {"reply": {"content": "done"}}, wrong, {"reply": {"content": "done"}}]
    with FakeLLMServer(steps) as server:
        settings = _settings(data, server)
        _, outcome, worker = _propose_and_accept(
            root, shas["keys"], settings, code_backend, setup_attempts=2
        )
        worker.close()
        assert server.request_count == 4  # two attempts of two model calls, no more
        # the second attempt heard why the first recipe failed
        assert "with the recipe the tests still do not run" in json.dumps(
            server.requests[2]["messages"]
        )
    assert outcome.rejection is RejectionCategory.infra
    assert outcome.reason.startswith("setup_failed:")
    assert "the setup agent found no working recipe in 2 attempt(s)" in outcome.reason
    assert RecipeStore.from_settings(settings).get("jqwrap") is None
    assert own_leftovers() == []


def test_the_agent_through_envfoundry_run(
    tmp_path: Path, code_backend: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`envfoundry run --families code --llm-fake SCRIPT`: the family pipeline calls the
    agent; a later run of another fix reuses the stored recipe and asks no LLM."""
    root = tmp_path / "jqwrap"
    shas = make_jqwrap_repo(root)
    data = tmp_path / "data"
    script = tmp_path / "setup.json"
    script.write_text(
        json.dumps(
            [
                _call("bash", {"command": "python -m pytest -q 2>&1 | grep -m1 FileNotFound"}),
                _call("submit_recipe", {"system_packages": ["jq"]}),
                {"reply": {"content": "submitted"}},
            ]
        )
    )
    args = ("run", "--families", "code", "--code-repo", str(root), "--json")
    proc = cli(data, *args, "--code-commit", shas["keys"], "--llm-fake", str(script))
    assert proc.returncode == 0, proc.stderr[-3000:]
    (row,) = json.loads(proc.stdout)["rows"]
    assert row["accepted"] == 1, proc.stdout[-3000:]
    recipe = json.loads((data / "code" / "recipes" / "jqwrap.json").read_text())
    assert recipe["system_packages"] == ["jq"]
    listed = json.loads(cli(data, "tasks", "list", "--family", "code", "--json").stdout)
    (task_id,) = [t["id"] for t in listed]
    verified = cli(data, "verify", task_id, "--json")  # graded on the repaired image
    assert json.loads(verified.stdout)["passed"] is True, verified.stderr[-2000:]

    with FakeLLMServer([]) as server:
        monkeypatch.setenv("ENVFOUNDRY_LLM_BASE_URL", server.base_url)
        monkeypatch.setenv("ENVFOUNDRY_LLM_MODEL", server.model)
        again = cli(data, *args, "--code-commit", shas["first"])
        assert server.request_count == 0
    assert again.returncode == 0, again.stderr[-3000:]
    assert json.loads(again.stdout)["rows"][0]["accepted"] == 1
