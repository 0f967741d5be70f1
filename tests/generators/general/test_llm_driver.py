"""The LLM driver: a scripted synthesis agent writes files, is repaired once, and is accepted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from envfoundry.config import load_settings
from envfoundry.envs.backends import get_backend
from envfoundry.generators.general.checks import check_environment_draft
from envfoundry.generators.general.llm_driver import LLMDriver, knowledge_search
from envfoundry.generators.llm import LLMClient
from envfoundry.generators.llm.testserver import FakeLLMServer

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "examples" / "llm_fake_general.json"


@pytest.fixture(scope="module", params=["local", pytest.param("docker", marks=pytest.mark.docker)])
def backend(request: pytest.FixtureRequest) -> Iterator[Any]:
    from envfoundry.envs.docker_api import docker_answers

    if request.param == "docker" and not docker_answers():
        pytest.skip("no Docker daemon answers")
    b = get_backend(load_settings(sandbox_backend=request.param))
    yield b
    b.close()


def tool_results(srv: FakeLLMServer) -> list[str]:
    out = []
    for req in srv.requests:
        for m in req["messages"]:
            if m["role"] == "tool":
                out.append(m["content"])
    return out


def test_scripted_agent_is_repaired_once_and_accepted(backend: Any) -> None:
    with FakeLLMServer.from_file(SCRIPT) as srv:
        client = LLMClient(srv.base_url, srv.model, backoff_base_s=0.01, cache=False)
        draft = LLMDriver(client, backend, levels=1).propose("city_trips", 0)
        results = tool_results(srv)
        # the check after the first version rejected the unsound verifier, the second accepted
        checks = [r for r in results if "ACCEPTED" in r or "REJECTED" in r]
        assert "REJECTED (verifier_unsound)" in checks[0]
        assert "no_writes" in checks[0] or "perturbed" in checks[0]
        assert any("ACCEPTED level 1" in r for r in results)
        # the thinking-context rule held across the tool turns of the session
        assert "reasoning_content" in srv.requests[-1]["messages"][2]
    assert draft.provenance["driver"] == "llm" and len(draft.tasks) == 1
    assert "def verify" in draft.tasks[0].verifier_source
    # and the pipeline's own acceptance agrees, independently of the agent's session
    [outcome] = check_environment_draft(draft, backend=backend)
    assert outcome.accepted, outcome.reason


def test_no_accepted_level_is_a_generation_error(backend: Any) -> None:
    from envfoundry.errors import GenerationError

    steps = [
        {"reply": {"tool_calls": [{"name": "run_checks", "arguments": {}}]}},
        {"reply": {"content": "I give up."}},
    ]
    with FakeLLMServer(steps) as srv:
        client = LLMClient(srv.base_url, srv.model, backoff_base_s=0.01, cache=False)
        with pytest.raises(GenerationError, match=r"no level accepted.*missing files"):
            LLMDriver(client, backend, levels=1).propose("city_trips", 0)


def test_knowledge_search_uses_real_reference_data() -> None:
    hits = knowledge_search("Hangzhou")
    assert hits and hits[0]["name"] == "Hangzhou" and hits[0]["country"] == "CN"
    assert knowledge_search("") == []


def test_run_with_llm_fake_end_to_end(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "ENVFOUNDRY_SANDBOX_BACKEND": "local",
        "PREFECT_HOME": str(tmp_path / "prefect"),
    }
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "envfoundry.cli",
            "run",
            "--json",
            "--llm-fake",
            str(SCRIPT),
            "--environments",
            "1",
            "--categories",
            "city_trips",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout)
    general = summary["families"]["general"]
    assert general["accepted"] == 1, general
    stats = subprocess.run(
        [sys.executable, "-m", "envfoundry.cli", "tasks", "list", "--status", "accepted", "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    [task] = json.loads(stats.stdout)
    assert task["category"] == "city_trips"
