"""The setup agent repairs a repository whose tests need a pip package its metadata omits.

Against the scripted OpenAI-compatible server: the agent runs the tests with `bash` in
the repository's sandbox (and sees the missing module), submits a recipe that installs
it; the recipe is built as a layer on the dependency image and proven by the baseline
run, then stored and found again for the repository.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
from typing import Any

import pytest

from envfoundry.envs.code.workspace import Workspace, code_limits
from envfoundry.generators.code.inject import Baseline
from envfoundry.generators.code.setup_agent import RecipeStore, SetupAgent, SetupRecipe
from envfoundry.generators.llm.client import LLMClient
from envfoundry.generators.llm.testserver import FakeLLMServer
from tests.code_repo import PYPROJECT

pytestmark = [pytest.mark.docker, pytest.mark.slow]

TESTS = """\
import six


def test_six():
    assert six.PY3
"""
INSTALL = "python -m pip install --no-cache-dir six==1.16.0"


def _tree() -> bytes:
    buf = io.BytesIO()
    files = {
        "pyproject.toml": PYPROJECT.format(deps="[]"),
        "calc/__init__.py": '"""calc."""\n',
        "tests/test_six.py": TESTS,
    }
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, text in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(text.encode())
            tar.addfile(info, io.BytesIO(text.encode()))
    return buf.getvalue()


def _call(name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {"reply": {"content": None, "tool_calls": [{"name": name, "arguments": args}]}}


def test_the_agent_repairs_a_missing_pip_package(
    code_settings: Any, code_backend: Any, code_builder: Any, tmp_path: Any
) -> None:
    source = _tree()
    env = code_builder.build({"pyproject.toml": PYPROJECT.format(deps="[]")})

    def check(image: str) -> str | None:
        with Workspace.open(code_backend, image, source, code_limits(300)) as ws:
            run = ws.run_tests((), timeout=300)
        return Baseline(run=run, test_texts={}).problem()

    log = check(env.image)
    assert log is not None and "six" in log  # the tests cannot even be collected

    steps = [
        _call("bash", {"command": "python -m pytest -q tests 2>&1 | grep -m1 ModuleNotFound"}),
        _call("submit_recipe", {"install": [INSTALL], "note": "tests import six"}),
        {"reply": {"content": "submitted"}},
    ]
    with FakeLLMServer(steps) as server:
        client = LLMClient(server.base_url, "fake-model", cache=False, max_retries=0)
        agent = SetupAgent(client, code_backend, code_settings, attempts=1)
        result = agent.repair(env.image, source, log, check)
        requests = server.requests
    # the bash call really ran in the repository's sandbox: the model saw the import error
    tool_results = [
        m["content"] for r in requests for m in r["messages"] if m.get("role") == "tool"
    ]
    assert any("No module named 'six'" in json.dumps(t) for t in tool_results), tool_results
    assert result.recipe == SetupRecipe(install=(INSTALL,), note="tests import six")
    assert result.image is not None and result.image != env.image
    assert [a.ok for a in result.attempts] == [True]
    assert check(result.image) is None  # the baseline runs and passes on the repaired image

    store = RecipeStore(tmp_path / "recipes")
    assert store.get("calc") is None
    store.put("calc", result.recipe)
    assert store.get("calc") == result.recipe
    images = subprocess.run(
        ["docker", "image", "inspect", result.image], capture_output=True, check=False
    )
    assert images.returncode == 0


def test_a_recipe_renders_its_layers_and_refuses_bad_names() -> None:
    recipe = SetupRecipe(system_packages=("libxml2-dev", "gcc"), install=("make 'all'",))
    apt = (
        "RUN timeout 900 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 900 "
        "apt-get install -y -qq --no-install-recommends gcc libxml2-dev "
        "&& rm -rf /var/lib/apt/lists/*"
    )
    make = "RUN timeout 900 sh -c 'make '\"'\"'all'\"'\"''"
    assert recipe.image_spec("p").dockerfile.splitlines() == [apt, make]
    # under the dependency layer the packages, over it the install commands
    system, install = recipe.system_spec("toolchain"), recipe.install_spec("deps")
    assert system is not None and system.dockerfile.splitlines() == [apt]
    assert install is not None and install.dockerfile.splitlines() == [make]
    assert SetupRecipe(install=("make",)).system_spec("t") is None
    assert SetupRecipe(system_packages=("jq",)).install_spec("d") is None
    with pytest.raises(ValueError, match="package name"):
        SetupRecipe(system_packages=("gcc; rm -rf /",))
    with pytest.raises(ValueError, match="one non-empty line"):
        SetupRecipe(install=("make\nrm -rf /",))


def test_a_payload_without_a_recipe_serialises_as_before() -> None:
    """No ``setup_recipe`` key without a recipe: environment ids of older tasks stay."""
    from envfoundry.envs.code.payload import CodeEnvPayload, RepoRef

    bare = CodeEnvPayload(repo=RepoRef(kind="path", location="/r", name="r"), base_commit="a" * 40)
    assert "setup_recipe" not in bare.model_dump(mode="json")
    with_recipe = bare.model_copy(update={"setup_recipe": SetupRecipe(system_packages=("jq",))})
    dumped = with_recipe.model_dump(mode="json")
    assert dumped["setup_recipe"]["system_packages"] == ["jq"]
    assert CodeEnvPayload.model_validate(dumped) == with_recipe
