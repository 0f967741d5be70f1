"""Bug injection end to end on a Go and a JavaScript repository built here.

`envfoundry run --families code --code-inject` on each (see tests/code_repo_inject.py
for why every mutation's outcome is known): the ``+`` → ``-`` bug is accepted with its
exact FAIL_TO_PASS and a statement written from the runner's report (never the code);
the Go argument swap is dropped as ``does_not_build`` with the compiler's message; the JS
load-time crash is dropped as ``import_crash``; the stored task's gold patch (the reverse
mutation) passes ``verify`` and the bugged tree fails it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from envfoundry.config import Settings
from envfoundry.envs.docker_api import docker_answers
from envfoundry.storage import Store
from tests.code_repo_inject import make_go_inject_repo, make_js_inject_repo
from tests.families.code.conftest import cli

pytestmark = [pytest.mark.docker, pytest.mark.slow]


def inject(tmp_path: Path, root: Path) -> tuple[Path, dict[str, list[Any]]]:
    """Run injection on ``root``; the data dir and the stored records by function group."""
    if not docker_answers():
        pytest.skip("no Docker daemon answers (scripts/provision_docker.sh starts one)")
    data = tmp_path / "data"
    proc = cli(
        data, "run", "--families", "code", "--code-repo", str(root), "--code-inject", "--json"
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    (row,) = json.loads(proc.stdout)["rows"]
    assert row["accepted"] == 1 and row["infra_errors"] == 0, proc.stdout + proc.stderr[-3000:]
    with Store.from_settings(Settings(data_dir=data, sandbox_backend="docker")) as store:
        records = list(store.iter_tasks())
    groups: dict[str, list[Any]] = {}
    for rec in records:
        groups.setdefault(rec.spec.provenance["injected"]["group"], []).append(rec)
    return data, groups


def replays(data: Path, task_id: str) -> None:
    ok = cli(data, "verify", task_id, "--json")
    assert ok.returncode == 0, ok.stderr[-2000:]
    assert json.loads(ok.stdout)["passed"] is True
    bad = cli(data, "verify", task_id, "--answer", json.dumps(""), "--json")
    assert json.loads(bad.stdout)["passed"] is False


def test_go_injection(tmp_path: Path) -> None:
    root = tmp_path / "calc-go"
    sha = make_go_inject_repo(root)
    data, groups = inject(tmp_path, root)
    assert set(groups) == {"calc.go::Add", "calc.go::Pad"}

    (accepted,) = groups["calc.go::Add"]
    spec = accepted.spec
    assert accepted.status == "accepted" and spec.provenance["base_commit"] == sha
    assert spec.provenance["injected"]["operator"] == "wrong_operator"
    config = spec.verifier.config
    assert config["FAIL_TO_PASS"] == [".::TestAdd"]
    assert config["PASS_TO_PASS"] == [".::TestAddZero", ".::TestPad"]
    assert config["test_targets"] == ["."]
    assert "-\treturn a - b\n+\treturn a + b\n" in spec.reference_solution
    # from `go test -json`'s report of the failing test, not from the diff or its name
    assert "Add(2, 3) = -1, want 5" in spec.prompt
    assert "`Add` in `calc.go`" in spec.prompt
    assert "a - b" not in spec.prompt and "TestAdd" not in spec.prompt

    (swap,) = groups["calc.go::Pad"]
    assert swap.status == "rejected"
    validation = swap.spec.provenance["validation"]
    assert validation["code"] == "does_not_build" and validation["built"] is False
    assert validation["reason"].startswith("the build fails: ")
    assert "calc.go:" in validation["reason"] and "cannot use" in validation["reason"]

    replays(data, spec.id)


def test_javascript_injection(tmp_path: Path) -> None:
    root = tmp_path / "calc-js"
    make_js_inject_repo(root)
    data, groups = inject(tmp_path, root)
    assert set(groups) == {"calc.js::add", "calc.js::check"}

    (accepted,) = groups["calc.js::add"]
    spec = accepted.spec
    assert accepted.status == "accepted"
    config = spec.verifier.config
    assert config["FAIL_TO_PASS"] == ["test/calc.js::add > adds two numbers"]
    assert config["PASS_TO_PASS"] == ["test/calc.js::add > adds zeros"]
    assert config["test_targets"] == ["test/calc.js"]
    assert "-  return a - b;\n+  return a + b;\n" in spec.reference_solution
    assert "add(2, 3) should be 5" in spec.prompt  # mocha's assertion message
    assert "a - b" not in spec.prompt and "adds two numbers" not in spec.prompt

    (crash,) = groups["calc.js::check"]
    validation = crash.spec.provenance["validation"]
    assert crash.status == "rejected" and validation["code"] == "import_crash"
    assert validation["built"] is True  # node --check passed: it loads, then throws
    assert "the module cannot load" in validation["reason"]

    replays(data, spec.id)
