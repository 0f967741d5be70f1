"""Bug injection end to end: `envfoundry run --families code --code-inject` on a tiny repo.

The repository (built here, one commit, tests passing) has two mutable places: ``add``,
whose only mutation (``+`` → ``-``) breaks exactly one of its two tests, and a module
body whose two mutations (removing either assignment) make the tests' import fail.
The run must accept the first with its exact FAIL_TO_PASS, drop both import crashes
with their reason, and the stored task must grade its gold patch (the reverse
mutation) as passing and the unfixed tree as failing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from envfoundry.config import Settings
from envfoundry.envs.code.images import EnvBuilder
from envfoundry.envs.code.recipe import SetupRecipe
from envfoundry.envs.docker_api import docker_answers, docker_client
from envfoundry.envs.images import image_exists
from envfoundry.families.code import code_payload
from envfoundry.generators.code.pipeline import ensure_image
from envfoundry.storage import Store
from tests.code_repo import PYPROJECT, commit, git, make_jqwrap_repo
from tests.families.code.conftest import cli

pytestmark = [pytest.mark.docker, pytest.mark.slow]

CORE = '''\
"""Arithmetic."""


def add(a, b):
    return a + b
'''
TABLE = '''\
"""Names."""

NAMES = {"a": "x"}
DEFAULT = NAMES["a"]
'''
TEST_CORE = """\
from calc.core import add


def test_add():
    assert add(2, 3) == 5, "add(2, 3) should be 5"


def test_add_zeros():
    assert add(0, 0) == 0
"""
TEST_TABLE = """\
from calc.table import DEFAULT


def test_default():
    assert DEFAULT == "x"
"""


def make_repo(root: Path) -> str:
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    return commit(
        root,
        {
            "pyproject.toml": PYPROJECT.format(deps="[]"),
            "calc/__init__.py": '"""calc."""\n',
            "calc/core.py": CORE,
            "calc/table.py": TABLE,
            "tests/test_core.py": TEST_CORE,
            "tests/test_table.py": TEST_TABLE,
        },
        "calc with core and table",
    )


def test_inject_accepts_the_add_bug_and_drops_import_crashes(tmp_path: Path) -> None:
    if not docker_answers():
        pytest.skip("no Docker daemon answers (scripts/provision_docker.sh starts one)")
    root = tmp_path / "calc"
    sha = make_repo(root)
    data = tmp_path / "data"
    proc = cli(
        data, "run", "--families", "code", "--code-repo", str(root), "--code-inject", "--json"
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    (row,) = json.loads(proc.stdout)["rows"]
    assert row["accepted"] == 1, proc.stderr[-3000:]

    with Store.from_settings(Settings(data_dir=data, sandbox_backend="docker")) as store:
        records = list(store.iter_tasks())
    by_group: dict[str, list[object]] = {}
    for rec in records:
        by_group.setdefault(rec.spec.provenance["injected"]["group"], []).append(rec)
    assert set(by_group) == {"calc/core.py::add", "calc/table.py::<module>"}

    (accepted,) = by_group["calc/core.py::add"]
    spec = accepted.spec  # type: ignore[attr-defined]
    assert accepted.status == "accepted"  # type: ignore[attr-defined]
    assert spec.provenance["base_commit"] == sha
    assert spec.provenance["injected"]["operator"] == "wrong_operator"
    config = spec.verifier.config
    assert config["FAIL_TO_PASS"] == ["tests/test_core.py::test_add"]
    assert config["PASS_TO_PASS"] == ["tests/test_core.py::test_add_zeros"]
    assert config["test_patch"] == "" and config["test_targets"] == ["tests/test_core.py"]
    gold = spec.reference_solution
    assert "-    return a - b\n+    return a + b\n" in gold
    # the statement comes from the failing test's message, never from the code
    assert "add(2, 3) should be 5" in spec.prompt
    assert "a - b" not in spec.prompt and "a + b" not in spec.prompt
    assert "test_add" not in spec.prompt

    crashes = by_group["calc/table.py::<module>"]
    assert len(crashes) == 2
    for rec in crashes:
        assert rec.status == "rejected"  # type: ignore[attr-defined]
        assert rec.rejection_reason.startswith("import_crash: the tests no longer import")  # type: ignore[attr-defined]
        assert "tests/test_table.py" in rec.rejection_reason  # type: ignore[attr-defined]

    # the stored task replays: its gold patch passes, the unfixed tree fails
    ok = cli(data, "verify", spec.id, "--json")
    assert ok.returncode == 0, ok.stderr[-2000:]
    assert json.loads(ok.stdout)["passed"] is True
    bad = cli(data, "verify", spec.id, "--answer", json.dumps(""), "--json")
    assert json.loads(bad.stdout)["passed"] is False

    # a rerun proposes the stored groups and runs nothing again
    again = cli(
        data, "run", "--families", "code", "--code-repo", str(root), "--code-inject", "--json"
    )
    (row,) = json.loads(again.stdout)["rows"]
    assert row["skipped_items"] == 2 and row["accepted"] == 0


def test_the_setup_agent_repairs_the_baseline_and_its_recipe_is_reused(tmp_path: Path) -> None:
    """Tests that import a package the metadata omits: the baseline cannot run until the
    setup agent (scripted) installs it; the proven recipe is stored for the repository."""
    if not docker_answers():
        pytest.skip("no Docker daemon answers (scripts/provision_docker.sh starts one)")
    root = tmp_path / "calc"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    commit(
        root,
        {
            "pyproject.toml": PYPROJECT.format(deps="[]"),
            "calc/__init__.py": '"""calc."""\n',
            "calc/core.py": CORE,
            "tests/test_core.py": "import six\n\n" + TEST_CORE,
        },
        "calc whose tests need six",
    )
    install = "python -m pip install --no-cache-dir six==1.16.0"
    script = tmp_path / "setup.json"
    script.write_text(
        json.dumps(
            [
                {
                    "reply": {
                        "tool_calls": [
                            {"name": "bash", "arguments": {"command": "python -c 'import six'"}}
                        ]
                    }
                },
                {
                    "reply": {
                        "tool_calls": [
                            {"name": "submit_recipe", "arguments": {"install": [install]}}
                        ]
                    }
                },
                {"reply": {"content": "done"}},
            ]
        )
    )
    data = tmp_path / "data"
    args = ("run", "--families", "code", "--code-repo", str(root), "--code-inject", "--json")
    proc = cli(data, *args, "--llm-fake", str(script))
    assert proc.returncode == 0, proc.stderr[-3000:]
    (row,) = json.loads(proc.stdout)["rows"]
    assert row["accepted"] == 1, proc.stderr[-3000:]
    recipe = json.loads((data / "code" / "recipes" / "calc.json").read_text())
    assert recipe["install"] == [install]
    with Store.from_settings(Settings(data_dir=data, sandbox_backend="docker")) as store:
        (task,) = [r.spec for r in store.iter_tasks() if r.status == "accepted"]
    assert task.verifier.config["FAIL_TO_PASS"] == ["tests/test_core.py::test_add"]
    # the stored task replays on the repaired image
    ok = cli(data, "verify", task.id, "--json")
    assert json.loads(ok.stdout)["passed"] is True, ok.stderr[-2000:]

    # a later commit of the repository: no LLM this time, the stored recipe is reused
    commit(
        root,
        {
            "calc/core.py": CORE + "\n\ndef sub(a, b):\n    return a - b\n",
            "tests/test_sub.py": "import six\nfrom calc.core import sub\n\n\n"
            "def test_sub():\n    assert sub(5, 3) == 2\n",
        },
        "calc.sub",
    )
    again = cli(data, *args)
    assert again.returncode == 0, again.stderr[-3000:]
    (row,) = json.loads(again.stdout)["rows"]
    assert row["accepted"] == 2, again.stderr[-3000:]  # add and sub, on the new commit


def test_an_injected_task_on_a_repaired_repository_carries_its_recipe(tmp_path: Path) -> None:
    """jqwrap's tests need the ``jq`` program: the setup agent (scripted) proves a recipe
    on the baseline, and the recipe builds the image as in history mode (its package under
    the dependency layer) and travels in the payload. Another machine's ``ensure_image``
    rebuilds the same image from the payload alone, and the task verifies on it."""
    if not docker_answers():
        pytest.skip("no Docker daemon answers (scripts/provision_docker.sh starts one)")
    root = tmp_path / "jqwrap"
    make_jqwrap_repo(root)
    script = tmp_path / "setup.json"
    script.write_text(
        json.dumps(
            [
                _call("bash", {"command": "command -v jq || echo 'jq: not installed'"}),
                _call("submit_recipe", {"system_packages": ["jq"], "note": "the tests run jq"}),
                {"reply": {"content": "submitted"}},
            ]
        )
    )
    data = tmp_path / "data"
    args = ("run", "--families", "code", "--code-repo", str(root), "--code-inject", "--json")
    proc = cli(data, *args, "--llm-fake", str(script))
    assert proc.returncode == 0, proc.stderr[-3000:]
    (row,) = json.loads(proc.stdout)["rows"]
    assert row["accepted"] >= 1, proc.stderr[-3000:]

    settings = Settings(data_dir=data, sandbox_backend="docker")
    recipe = SetupRecipe(system_packages=("jq",), note="the tests run jq")
    with Store.from_settings(settings) as store:
        task = next(r.spec for r in store.iter_tasks() if r.status == "accepted")
        payload = code_payload(store.get_environment(task.env_id).spec, task)
        assert payload.setup_recipe == recipe
        # the dependency image built over the recipe's package layer, not a layer on top
        assert payload.image.startswith("envfoundry/code-deps:")

        # on a machine without the image: the payload rebuilds it, with the same tag
        docker_client().images.remove(payload.image)
        assert not image_exists(payload.image)
        assert ensure_image(EnvBuilder(settings, store.blobs), payload) == payload.image
        assert image_exists(payload.image)
    ok = cli(data, "verify", task.id, "--json")
    assert json.loads(ok.stdout)["passed"] is True, ok.stderr[-2000:]


def _call(name: str, args: dict[str, object]) -> dict[str, object]:
    return {"reply": {"content": None, "tool_calls": [{"name": name, "arguments": args}]}}
