"""The scripted fake LLM server: script files, validation, standalone process."""

from __future__ import annotations

import json
import subprocess
import sys

import httpx
import pytest

from envfoundry.errors import ConfigError
from envfoundry.generators.llm import LLMClient
from envfoundry.generators.llm.testserver import FakeLLMServer


def test_from_file_and_models_endpoint(tmp_path):
    script = tmp_path / "script.json"
    script.write_text(
        json.dumps({"model": "demo", "repeat_last": True, "steps": [{"reply": {"content": "hi"}}]})
    )
    with FakeLLMServer.from_file(script) as server:
        models = httpx.get(f"{server.base_url}/models").json()
        assert models["data"][0]["id"] == "demo"
        client = LLMClient(server.base_url, "demo", cache=False, max_retries=0)
        assert client.chat([{"role": "user", "content": "a"}]).content == "hi"
        assert client.chat([{"role": "user", "content": "b"}]).content == "hi"
        assert [r["messages"][0]["content"] for r in server.requests] == ["a", "b"]


@pytest.mark.parametrize(
    "steps",
    [[{"reply": {}, "drop": True}], [{"bogus": 1}], ["not an object"], [{"delay": 1}]],
)
def test_bad_scripts_are_rejected(steps):
    with pytest.raises(ConfigError):
        FakeLLMServer(steps)


def test_standalone_process(tmp_path):
    script = tmp_path / "script.json"
    script.write_text(json.dumps([{"reply": {"content": "from a process"}}]))
    proc = subprocess.Popen(
        [sys.executable, "-m", "envfoundry.generators.llm.testserver", str(script), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        base_url = line.strip().rsplit(" ", 1)[-1]
        assert base_url.startswith("http://127.0.0.1:")
        client = LLMClient(base_url, "fake-model", max_retries=0)
        assert client.chat([{"role": "user", "content": "x"}]).content == "from a process"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
