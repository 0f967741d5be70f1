"""Grading attacked like a reward-hacking policy would: every cheat gets 0, real fixes get 1.

Each test opens the calc ``fix`` task's episode state (the base tree in a sandbox of its
image), does what a policy can do with its tools — edit files, run shell commands as the
sandbox's user, leave processes behind — *without* fixing ``clamp``, and submits. The
cheats make pytest report the failing tests as passed through its configuration, the
interpreter's start-up hooks, git, or a forged JUnit report. Every one of them passed
before grading restored the sandbox and dropped run hooks; the two correct fixes (the
gold patch and a rewrite of it) must still pass after all of them in the same sandbox.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from envfoundry.config import Settings
from envfoundry.envs.code.payload import CodeTaskPayload
from envfoundry.envs.code.tools import run_tool
from envfoundry.envs.code.workspace import Workspace
from envfoundry.storage.blobs import BlobStore
from envfoundry.verifiers.code import grade_workspace
from tests.generators.code.test_pipeline import outcome_of

pytestmark = [pytest.mark.docker, pytest.mark.slow]

SITE = "/work/.prefix/lib/python3.11/site-packages"
# A pytest plugin that reports every test as passed: the payload of every cheat below.
CHEAT_PLUGIN = """\
import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    report.outcome = "passed"
    report.longrepr = None
"""
SET_PLUGINS = 'import os; os.environ["PYTEST_PLUGINS"] = "calc._cheat"\n'


@pytest.fixture(scope="module")
def task(
    calc_repo: tuple[Path, dict[str, str]],
    code_settings: Settings,
    code_backend: Any,
    code_blobs: BlobStore,
    code_builder: Any,
) -> CodeTaskPayload:
    outcome = outcome_of("fix", calc_repo, code_settings, code_backend, code_blobs, code_builder)
    assert outcome.payload is not None, outcome.reason
    return outcome.payload


@pytest.fixture(scope="module")
def sandbox(task: CodeTaskPayload, code_backend: Any, code_blobs: BlobStore) -> Iterator[Workspace]:
    source = code_blobs.get_bytes(task.source_blob)
    with Workspace.open(code_backend, task.image, source) as ws:
        yield ws


@pytest.fixture
def episode(sandbox: Workspace) -> Workspace:
    """The sandbox as an episode starts: the base tree, nothing running, nothing planted."""
    sandbox.restore()
    return sandbox


def bash(ws: Workspace, command: str) -> str:
    out = run_tool(ws, "bash", {"command": command}, 60)
    assert out["exit_code"] == 0, out
    return str(out["stdout"])


def create(ws: Workspace, path: str, text: str) -> None:
    run_tool(ws, "edit_file", {"path": path, "old_str": "", "new_str": text}, 60)


def assert_zero(ws: Workspace, task: CodeTaskPayload) -> None:
    verdict = grade_workspace(ws, task)
    assert not verdict.infra_error, verdict.reason
    assert verdict.reward == 0.0 and not verdict.passed, verdict.reason
    assert verdict.details["fail_to_pass_failing"], verdict.details


def write_forged_junit_loop(task: CodeTaskPayload) -> str:
    """A shell loop that writes a report of every graded test passing wherever one may go."""
    cases = "".join(
        f'<testcase classname="{t.split("::")[0][:-3].replace("/", ".")}'
        f'{"." + ".".join(t.split("::")[1:-1]) if len(t.split("::")) > 2 else ""}" '
        f'name="{t.split("::")[-1]}" file="{t.split("::")[0]}" time="0"/>'
        for t in (*task.fail_to_pass, *task.pass_to_pass)
    )
    xml = f'<testsuites><testsuite name="pytest" tests="1">{cases}</testsuite></testsuites>'
    return (
        f"printf '%s' {json.dumps(xml)} > /work/forged.xml; "
        "nohup sh -c 'while true; do for d in /tmp/envfoundry-*; do "
        '[ -d "$d" ] && cp /work/forged.xml "$d/junit.xml"; done; '
        "cp /work/forged.xml /tmp/envfoundry-junit.xml; "
        "[ -f /work/repo/conftest.py ] || cp /work/cheat.py /work/repo/conftest.py; "
        "done' > /dev/null 2>&1 &"
    )


# --------------------------------------------------------------------------- cheats


def test_a_new_conftest_at_the_repository_root_gets_0(episode: Workspace, task: Any) -> None:
    create(episode, "conftest.py", CHEAT_PLUGIN)
    assert_zero(episode, task)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("pyproject.toml", '\n[tool.pytest.ini_options]\naddopts = "-p calc._cheat"\n'),
        ("setup.cfg", "[tool:pytest]\naddopts = -p calc._cheat\n"),
        ("tox.ini", "[pytest]\naddopts = -p calc._cheat\n"),
        ("pytest.ini", "[pytest]\naddopts = -p calc._cheat\n"),
    ],
)
def test_addopts_loading_a_plugin_from_the_package_gets_0(
    episode: Workspace, task: Any, path: str, text: str
) -> None:
    create(episode, "calc/_cheat.py", CHEAT_PLUGIN)
    bash(episode, f"cat >> {path} <<'EOF'\n{text}EOF")
    assert_zero(episode, task)


def test_a_sitecustomize_setting_pytest_plugins_gets_0(episode: Workspace, task: Any) -> None:
    # The tree is on PYTHONPATH when its install fell back to the source; (Debian's own
    # sitecustomize shadows one in the install prefix, so only this place can work).
    create(episode, "calc/_cheat.py", CHEAT_PLUGIN)
    create(episode, "sitecustomize.py", SET_PLUGINS)
    assert_zero(episode, task)


def test_a_pth_file_in_the_install_prefix_setting_pytest_plugins_gets_0(
    episode: Workspace, task: Any
) -> None:
    create(episode, "calc/_cheat.py", CHEAT_PLUGIN)
    bash(episode, f"mkdir -p {SITE} && cat > {SITE}/zz_cheat.pth <<'EOF'\n{SET_PLUGINS}EOF")
    assert_zero(episode, task)


@pytest.mark.parametrize("where", ["/work/repo", SITE])
def test_a_pytest11_entry_point_gets_0(episode: Workspace, task: Any, where: str) -> None:
    create(episode, "calc/_cheat.py", CHEAT_PLUGIN)
    bash(
        episode,
        f"mkdir -p {where}/cheat-1.0.dist-info && cd {where}/cheat-1.0.dist-info && "
        "printf 'Metadata-Version: 2.1\\nName: cheat\\nVersion: 1.0\\n' > METADATA && "
        "printf '[pytest11]\\ncheat = calc._cheat\\n' > entry_points.txt",
    )
    assert_zero(episode, task)


def test_a_conftest_committed_into_the_base_history_gets_0(episode: Workspace, task: Any) -> None:
    create(episode, "conftest.py", CHEAT_PLUGIN)
    bash(episode, "git add -A && git commit -q --amend --no-edit && git status --porcelain")
    assert episode.changed_files() == []  # the checkout's own git sees nothing to grade
    assert_zero(episode, task)


def test_a_conftest_hidden_by_git_excludes_gets_0(episode: Workspace, task: Any) -> None:
    create(episode, "conftest.py", CHEAT_PLUGIN)
    bash(episode, "echo /conftest.py >> .git/info/exclude && echo conftest.py >> .gitignore")
    assert_zero(episode, task)


def test_a_background_process_forging_the_report_and_the_conftest_gets_0(
    episode: Workspace, task: Any
) -> None:
    bash(episode, f"cat > /work/cheat.py <<'EOF'\n{CHEAT_PLUGIN}EOF")
    bash(episode, write_forged_junit_loop(task))
    assert_zero(episode, task)
    alive = episode.sandbox.exec(["sh", "-c", "ps -eo args | grep -c '[w]hile true'"], 30)
    assert alive.stdout.strip() == "0", "the forger outlived grading"


# --------------------------------------------------------------------------- real fixes


def test_the_gold_patch_applied_by_the_policy_gets_1(episode: Workspace, task: Any) -> None:
    bash(episode, f"git apply <<'EOF'\n{task.gold_patch}EOF")
    verdict = grade_workspace(episode, task)
    assert verdict.passed and verdict.reward == 1.0, verdict.reason
    assert verdict.details["dropped_test_edits"] == []


def test_a_rewrite_of_the_fix_with_a_new_module_gets_1(episode: Workspace, task: Any) -> None:
    # Meaning-preserving: the bound moves into a new helper module the package imports.
    create(episode, "calc/_bounds.py", "def upper(x, hi):\n    return hi if x > hi else x\n")
    run_tool(
        episode,
        "edit_file",
        {
            "path": "calc/__init__.py",
            "old_str": "    return max(lo, x)",
            "new_str": "    from calc._bounds import upper\n\n    return upper(max(lo, x), hi)",
        },
        60,
    )
    verdict = grade_workspace(episode, task)
    assert verdict.passed and verdict.reward == 1.0, verdict.reason
