"""A family added from outside the package runs through run, verify, the HTTP runtime and
export, with nothing in the package changed: the seam is real."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from envfoundry import families
from envfoundry.cli import app
from tests.families.echo import FAMILY


@pytest.fixture
def echo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ENVFOUNDRY_SANDBOX_BACKEND", "local")
    families.register(FAMILY)  # the "registry line" of a family that lives outside
    try:
        yield
    finally:
        families.unregister("echo")


def _cli(*args: str) -> str:
    res = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.stdout


def test_an_extra_family_runs_everywhere(echo: None, tmp_path: Path) -> None:
    summary = json.loads(_cli("run", "--families", "echo", "--seed", "4", "--json"))
    assert summary["status"] == "completed"
    assert summary["families"]["echo"]["accepted"] == 3

    tasks = json.loads(_cli("tasks", "list", "--family", "echo", "--json"))
    assert len(tasks) == 3 and {t["status"] for t in tasks} == {"accepted"}
    task_id = tasks[0]["id"]
    shown = json.loads(_cli("tasks", "show", task_id, "--json"))
    labels = {a["label"] for a in shown["attempts"]}
    assert {"reference", "reference:rerun", "control:empty", "control:unreversed"} <= labels

    # verify: the reference passes, a wrong answer fails (exit 1)
    assert json.loads(_cli("verify", task_id, "--json"))["passed"] is True
    wrong = CliRunner().invoke(app, ["verify", task_id, "--answer", '"nope"', "--json"])
    assert wrong.exit_code == 1 and json.loads(wrong.stdout)["passed"] is False

    # the runtime's HTTP API: open, call the family's tool, submit
    from envfoundry.config import load_settings
    from envfoundry.runtime.client import RuntimeClient
    from envfoundry.runtime.episodes import Runtime
    from envfoundry.runtime.server import ServerThread

    word = shown["verifier"]["config"]["word"]
    with (
        Runtime.from_settings(load_settings()) as runtime,
        ServerThread(runtime) as srv,
        RuntimeClient(srv.url) as rc,
    ):
        ep = rc.open(task_id)
        assert [t["function"]["name"] for t in ep.tools] == ["reverse", "submit"]
        assert ep.call("reverse", {"text": word}) == word[::-1]
        assert ep.submit(word[::-1]).reward == 1.0
        ep.close()
        ep = rc.open(task_id)
        assert ep.submit(word).reward == 0.0
        ep.close()

    # export: the family's tasks are ordinary records
    out = tmp_path / "export"
    _cli("export", "--format", "jsonl", "--out", str(out), "--family", "echo")
    records = [
        json.loads(line)
        for f in sorted(out.glob("*.jsonl"))
        for line in f.read_text().splitlines()
        if line.strip()
    ]
    assert {r["id"] for r in records} == {t["id"] for t in tasks}
    assert all(r["family"] == "echo" and r["tools"] for r in records)
