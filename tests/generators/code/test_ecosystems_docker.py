"""Go and JavaScript fixes end to end on repositories built by git, in real Docker sandboxes.

Each ecosystem: the fix commit becomes an accepted task with its exact FAIL_TO_PASS, the
alternating test is flaky and never in it, the gold patch grades 1 and the empty diff 0,
and an episode's tools (bash, view_file, edit_file) work in the checkout and its live tree
is graded. The JavaScript dependency layer runs npm install (mocha) through the host.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from envfoundry.config import Settings
from envfoundry.envs.code.tools import run_tool
from envfoundry.envs.code.workspace import PREPARED, Workspace
from envfoundry.generators.code.pipeline import CodeOutcome, open_repo, validate_candidate
from envfoundry.storage.blobs import BlobStore
from envfoundry.verifiers.code import grade, grade_workspace
from tests.code_repo_eco import make_go_repo, make_js_repo

pytestmark = [pytest.mark.docker, pytest.mark.slow]

_OUTCOMES: dict[str, CodeOutcome] = {}
MAKERS = {"go": make_go_repo, "js": make_js_repo}


@pytest.fixture
def fixed(
    tmp_path_factory: pytest.TempPathFactory,
    code_settings: Settings,
    code_backend: Any,
    code_blobs: BlobStore,
    code_builder: Any,
) -> Any:
    def outcome(kind: str) -> CodeOutcome:
        if kind not in _OUTCOMES:
            root = tmp_path_factory.mktemp(f"calc-{kind}") / "calc"
            shas = MAKERS[kind](root)
            repo = open_repo(root, code_settings, f"calc-{kind}")
            _OUTCOMES[kind] = validate_candidate(
                repo.candidate(shas["fix"]),
                code_backend,
                code_blobs,
                code_settings,
                repo=repo,
                builder=code_builder,
            )
        return _OUTCOMES[kind]

    return outcome


def test_a_go_fix_is_accepted_with_its_exact_fail_to_pass(fixed: Any) -> None:
    out = fixed("go")
    assert out.status == "accepted", (out.reason, out.log_tail)
    assert out.fail_to_pass == (
        ".::TestClampTable",
        ".::TestClampTable/upper",
        ".::TestClampUpper",
    )
    assert out.pass_to_pass == (".::TestAdd", ".::TestClampTable/inside")
    assert out.flaky == (".::TestAlternates",) and out.pass_to_fail == ()
    assert out.image and out.image.startswith("envfoundry/code-deps-go:")
    payload = out.payload
    assert payload is not None and payload.test_targets == (".",)
    assert payload.test_files == ("calc_test.go", "flaky_test.go")
    assert "calc.go" in payload.gold_patch and "_test.go" not in payload.gold_patch
    assert "Clamp(10, 0, 3) = 10, want 3" in out.statement  # the observed error
    assert "TestClampUpper" not in out.statement


def test_a_js_fix_is_accepted_with_its_exact_fail_to_pass(fixed: Any) -> None:
    out = fixed("js")
    assert out.status == "accepted", (out.reason, out.log_tail)
    assert out.fail_to_pass == ("test/calc.js::clamp > limits to the upper bound",)
    assert out.pass_to_pass == (
        "test/calc.js::add > adds two numbers",
        "test/calc.js::clamp > keeps values inside the range",
    )
    assert out.flaky == ("test/flaky.js::flaky > alternates",) and out.pass_to_fail == ()
    assert out.image and out.image.startswith("envfoundry/code-deps-js:")
    payload = out.payload
    assert payload is not None
    assert payload.test_targets == ("test/calc.js", "test/flaky.js")
    assert set(payload.dependency_files) == {"package.json"}


@pytest.mark.parametrize("kind", ["go", "js"])
def test_the_gold_patch_grades_one_and_the_empty_diff_zero(
    kind: str, fixed: Any, code_backend: Any, code_blobs: BlobStore
) -> None:
    payload = fixed(kind).payload
    assert payload is not None
    gold = grade(code_backend, code_blobs, payload, payload.gold_patch)
    assert gold.passed and gold.reward == 1.0, gold.reason
    empty = grade(code_backend, code_blobs, payload, "")
    assert not empty.passed and empty.reward == 0.0 and not empty.infra_error
    # a "fix" that edits the tests to expect the bug: the edit is dropped
    cheat = payload.test_patch.replace("3), 3)", "3), 10)").replace("!= 3 {", "!= 10 {")
    assert cheat != payload.test_patch
    verdict = grade(code_backend, code_blobs, payload, cheat)
    assert verdict.reward == 0.0 and not verdict.infra_error


@pytest.mark.parametrize(
    ("kind", "path", "old", "new", "command"),
    [
        ("go", "calc.go", "\treturn x\n}", "\tif x > hi {\n\t\treturn hi\n\t}\n\treturn x\n}",
         "go vet ./... && go test -count=1 -run TestAdd ."),
        ("js", "index.js", "Math.max(lo, x)", "Math.min(hi, Math.max(lo, x))",
         "node -e \"console.log(require('.').clamp(10, 0, 3))\""),
    ],
)  # fmt: skip
def test_an_episode_uses_the_tools_and_its_live_tree_is_graded(
    kind: str,
    path: str,
    old: str,
    new: str,
    command: str,
    fixed: Any,
    code_backend: Any,
    code_blobs: BlobStore,
) -> None:
    payload = fixed(kind).payload
    assert payload is not None
    source = code_blobs.get_bytes(payload.source_blob)
    with Workspace.open(code_backend, payload.image, source) as ws:
        assert ws.ecosystem.name == {"go": "go", "js": "javascript"}[kind]
        viewed = run_tool(ws, "view_file", {"path": path}, 60)
        assert old in viewed["content"]
        run_tool(ws, "edit_file", {"path": path, "old_str": old, "new_str": new}, 60)
        shell = run_tool(ws, "bash", {"command": command}, 120)
        assert shell["exit_code"] == 0, shell
        if kind == "js":
            assert shell["stdout"].strip() == "3"
        assert ws.changed_files() == [path]
        verdict = grade_workspace(ws, payload)
        assert verdict.passed and verdict.reward == 1.0, verdict.reason


def test_the_repositories_are_built_by_git(tmp_path: Path) -> None:
    for kind, make in MAKERS.items():
        shas = make(tmp_path / kind)
        assert set(shas) == {"initial", "fix"}


REPORTS = {"go": "test.json", "js": "results.json"}
COMMIT = "git -c user.name=p -c user.email=p@p commit -q"


@pytest.mark.parametrize("kind", ["go", "js"])
def test_main_s_grading_defences_hold_for_go_and_js(
    kind: str, fixed: Any, code_backend: Any, code_blobs: BlobStore
) -> None:
    """The prepared snapshot is reused, and a forger of the report and history gets 0.

    The forged report is a real passing one (the gold fix's own run, captured); a process
    left behind copies it into every report directory a run could create, and the bug's
    test edits are committed into the checkout's history. The gold fix still gets 1.
    """
    payload = fixed(kind).payload
    assert payload is not None
    source = code_blobs.get_bytes(payload.source_blob)
    PREPARED.clear()
    hits = PREPARED.hits
    with Workspace.open(code_backend, payload.image, source):
        pass
    with Workspace.open(code_backend, payload.image, source) as ws:
        assert PREPARED.hits == hits + 1  # unpacked, not prepared again
        assert ws.ecosystem.name == {"go": "go", "js": "javascript"}[kind] and ws.runner
        # a real passing report, to forge with
        assert ws.apply(payload.test_patch).ok and ws.apply(payload.gold_patch).ok
        ws.run_tests(payload.test_targets)
        name = REPORTS[kind]
        found = ws.sandbox.exec(["sh", "-c", f"cat /tmp/envfoundry-{kind}-report-*/{name}"], 60)
        assert found.ok and found.stdout.strip(), found
        forged = found.stdout.encode()

        ws.restore()
        put = ws.sandbox.exec(["sh", "-c", "cat > /work/forged"], 60, stdin=forged)
        assert put.ok
        loop = (
            "nohup sh -c 'while true; do for d in /tmp/envfoundry-*; do "
            f'[ -d "$d" ] && cp /work/forged "$d/{name}"; done; done\' > /dev/null 2>&1 &'
        )
        assert run_tool(ws, "bash", {"command": loop}, 60)["exit_code"] == 0
        committed = run_tool(
            ws,
            "bash",
            {"command": f"git add -A && {COMMIT} --allow-empty -m x && git status --short"},
            60,
        )
        assert committed["exit_code"] == 0, committed
        verdict = grade_workspace(ws, payload)
        assert not verdict.infra_error, verdict.reason
        assert verdict.reward == 0.0 and not verdict.passed, verdict.reason
        alive = ws.sandbox.exec(["sh", "-c", "ps -eo args | grep -c '[w]hile true'"], 30)
        assert alive.stdout.strip() == "0", "the forger outlived grading"

        # the fix committed into the checkout's history is still seen (pristine .git)
        ws.restore()
        gold = run_tool(
            ws,
            "bash",
            {"command": f"git apply <<'EOF'\n{payload.gold_patch}EOF\n{COMMIT} -am fix"},
            60,
        )
        assert gold["exit_code"] == 0, gold
        assert ws.changed_files() == []
        verdict = grade_workspace(ws, payload)
        assert verdict.passed and verdict.reward == 1.0, verdict.reason
