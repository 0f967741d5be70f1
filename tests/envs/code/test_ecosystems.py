"""The ecosystems' host-side parts: detection, test files, layers' tags, result parsers."""

from __future__ import annotations

import json

import pytest

from envfoundry.envs.code.deps import PythonChoice
from envfoundry.envs.code.ecosystems import (
    ECOSYSTEMS,
    GO,
    JAVASCRIPT,
    PYTHON,
    detect,
    detect_from_dependency_files,
)
from envfoundry.envs.code.ecosystems.go import parse_go_json
from envfoundry.envs.code.ecosystems.javascript import (
    deps_spec as js_deps_spec,
)
from envfoundry.envs.code.ecosystems.javascript import (
    detect_runner,
    parse_jest_json,
    parse_mocha,
)
from envfoundry.envs.code.paths import is_test_path
from envfoundry.generators.code.patches import split_patch

SETUP_PY = 'from setuptools import setup\nsetup(name="a", install_requires=["six"])'


def test_the_registry_detects_by_root_files_in_priority_order() -> None:
    assert list(ECOSYSTEMS) == ["python", "go", "javascript"]
    assert detect(["go.mod", "mux.go"]) is GO
    assert detect(["package.json", "index.js"]) is JAVASCRIPT
    assert detect(["pyproject.toml", "package.json"]) is PYTHON  # Python wins a tie
    assert detect(["sub/go.mod", "Makefile"]) is None  # only the root counts
    assert detect_from_dependency_files({"go.mod": "module x\n", "go.sum": ""}) is GO
    assert detect_from_dependency_files({"package.json": "{}"}) is JAVASCRIPT
    assert detect_from_dependency_files({"setup.py": SETUP_PY}) is PYTHON


def test_python_layers_keep_the_tags_they_had_before_ecosystems() -> None:
    # Pinned from the code before the move: stored Python tasks name these images.
    toolchain = PYTHON.toolchain_spec("envfoundry/base:x", PythonChoice(version="3.11"))
    assert toolchain.tag == "envfoundry/code-toolchain:221a2ce17973e2fd"
    deps = PYTHON.deps_spec(toolchain.tag, {"setup.py": SETUP_PY})
    assert deps.tag == "envfoundry/code-deps:ebde0a6e50b9ebf8"


@pytest.mark.parametrize(
    ("path", "go", "js"),
    [
        ("mux_test.go", True, False),
        ("internal/x/route_test.go", True, False),
        ("testdata/a_test.go", False, False),
        ("mux.go", False, False),
        ("test/parse.js", False, True),
        ("src/parse-cookie.spec.ts", False, True),
        ("lib/__tests__/a.tsx", False, True),
        ("test/support/env.js", False, False),
        ("src/index.ts", False, False),
        ("src/__snapshots__/x.spec.ts.snap", False, False),
    ],
)
def test_test_files_per_ecosystem(path: str, go: bool, js: bool) -> None:
    assert GO.is_test_file(path) is go
    assert JAVASCRIPT.is_test_file(path) is js
    if go or js:
        assert is_test_path(path)  # and the split and grading treat it as a test


def test_go_targets_are_packages_and_test_data_runs_everything() -> None:
    assert GO.test_targets(["mux_test.go", "sub/a_test.go", "sub/b_test.go"], []) == (".", "sub")
    assert GO.test_targets(["a_test.go", "old_test.go"], ["old_test.go"]) == (".",)
    assert GO.test_targets(["a_test.go", "testdata/in.txt"], []) == ()


def _diff(*paths: str) -> str:
    return "".join(
        f"diff --git a/{p} b/{p}\n--- a/{p}\n+++ b/{p}\n@@ -1 +1 @@\n-a\n+b\n" for p in paths
    )


def test_the_split_puts_go_and_js_tests_in_the_test_patch() -> None:
    go = split_patch(_diff("route.go", "route_test.go", "sub/a_test.go"))
    assert go.gold_files == ("route.go",) and go.test_files == ("route_test.go", "sub/a_test.go")
    assert go.targets_for(GO) == (".", "sub")
    js = split_patch(_diff("src/index.ts", "src/index.spec.ts", "src/__snapshots__/a.snap"))
    assert js.gold_files == ("src/index.ts",)
    assert js.test_files == ("src/index.spec.ts", "src/__snapshots__/a.snap")
    assert js.targets_for(JAVASCRIPT) == ("src/index.spec.ts",)


GO_STREAM = "\n".join(
    json.dumps(e)
    for e in [
        {"Action": "run", "Package": "example.com/m", "Test": "TestA"},
        {"Action": "pass", "Package": "example.com/m", "Test": "TestA", "Elapsed": 0.01},
        {"Action": "run", "Package": "example.com/m", "Test": "TestT"},
        {"Action": "run", "Package": "example.com/m", "Test": "TestT/up_per"},
        {"Action": "output", "Package": "example.com/m", "Test": "TestT/up_per",
         "Output": "    m_test.go:9: got 10, want 3\n"},
        {"Action": "fail", "Package": "example.com/m", "Test": "TestT/up_per", "Elapsed": 0},
        {"Action": "run", "Package": "example.com/m", "Test": "TestT/in"},
        {"Action": "pass", "Package": "example.com/m", "Test": "TestT/in", "Elapsed": 0},
        {"Action": "fail", "Package": "example.com/m", "Test": "TestT", "Elapsed": 0},
        {"Action": "skip", "Package": "example.com/m", "Test": "TestS", "Elapsed": 0},
        {"Action": "fail", "Package": "example.com/m", "Elapsed": 0.2},
        {"Action": "output", "Package": "example.com/m/sub",
         "Output": "FAIL\texample.com/m/sub [build failed]\n"},
        {"Action": "fail", "Package": "example.com/m/sub", "Elapsed": 0},
    ]
)  # fmt: skip


def test_go_test_json_becomes_per_test_results_and_build_errors() -> None:
    results, errors = parse_go_json(
        GO_STREAM + "\nnot json\n", "example.com/m", "sub/x.go:3:1: undefined: Y\n"
    )
    assert {k: r.status for k, r in results.items()} == {
        ".::TestA": "passed",
        ".::TestT": "failed",
        ".::TestT/up_per": "failed",
        ".::TestT/in": "passed",
        ".::TestS": "skipped",
    }
    assert "got 10, want 3" in results[".::TestT/up_per"].message
    assert list(errors) == ["sub"] and "build failed" in errors["sub"]


def test_a_go_test_that_started_and_never_ended_failed() -> None:
    stream = json.dumps({"Action": "run", "Package": "m", "Test": "TestPanics"})
    results, _ = parse_go_json(stream, "m")
    assert results[".::TestPanics"].status == "failed"


def test_mocha_results_are_named_by_file_and_titles() -> None:
    text = json.dumps(
        {
            "results": [
                {"file": "/work/repo/test/a.js", "titles": ["parse", "splits"],
                 "status": "passed", "message": ""},
                {"file": "/work/repo/test/a.js", "titles": ["parse", "trims"],
                 "status": "failed", "message": "AssertionError: 'a ' == 'a' (3ms)"},
                {"file": "/work/repo/test/a.js", "titles": ['"before all" hook'],
                 "hook": True, "status": "failed", "message": "boom"},
            ]
        }
    )  # fmt: skip
    results, errors = parse_mocha(text, "/work/repo")
    assert results["test/a.js::parse > splits"].status == "passed"
    trims = results["test/a.js::parse > trims"]
    assert trims.status == "failed" and trims.message == "AssertionError: 'a ' == 'a'"
    assert errors == {"test/a.js": "boom"}
    with pytest.raises(ValueError):
        parse_mocha("mocha crashed", "/work/repo")


def test_jest_and_vitest_json_reports() -> None:
    text = json.dumps(
        {
            "testResults": [
                {"name": "/work/repo/src/a.spec.ts", "status": "failed", "assertionResults": [
                    {"ancestorTitles": ["parse"], "title": "ok", "status": "passed"},
                    {"ancestorTitles": ["parse", "edge"], "title": "bad", "status": "failed",
                     "failureMessages": ["expected 1 to be 2"]},
                    {"ancestorTitles": [], "title": "later", "status": "todo"},
                ]},
                {"name": "/work/repo/src/b.spec.ts", "status": "failed",
                 "message": "Cannot find module './b'", "assertionResults": []},
            ]
        }
    )  # fmt: skip
    results, errors = parse_jest_json(text, "/work/repo")
    assert {k: r.status for k, r in results.items()} == {
        "src/a.spec.ts::parse > ok": "passed",
        "src/a.spec.ts::parse > edge > bad": "failed",
        "src/a.spec.ts::later": "skipped",
    }
    assert errors == {"src/b.spec.ts": "Cannot find module './b'"}


def test_the_runner_comes_from_the_test_script_or_the_dev_dependencies() -> None:
    mocha = {"scripts": {"test": "mocha --reporter spec --bail --check-leaks --ui qunit test/"}}
    assert detect_runner(json.dumps(mocha)) == (
        "mocha",
        ["--check-leaks", "--ui", "qunit"],
        ["test/"],
    )
    ts = {"scripts": {"test": "ts-scripts test"}, "devDependencies": {"vitest": "^3"}}
    assert detect_runner(json.dumps(ts))[0] == "vitest"
    assert detect_runner(json.dumps({"scripts": {"test": "jest --ci"}}))[0] == "jest"
    assert detect_runner(json.dumps({"scripts": {"test": "node --test"}}))[0] == ""
    assert detect_runner("not json")[0] == ""


def test_the_js_dependency_layer_ignores_scripts_and_versions() -> None:
    base = {"name": "c", "version": "1.0.0", "devDependencies": {"mocha": "10.2.0"}}
    bumped = {**base, "version": "1.0.1", "scripts": {"prepare": "husky"}}
    a = js_deps_spec("t", {"package.json": json.dumps(base)})
    b = js_deps_spec("t", {"package.json": json.dumps(bumped)})
    assert a.tag == b.tag and "husky" not in a.context["package.json"]
    more = {**base, "devDependencies": {"mocha": "10.2.0", "chai": "4"}}
    assert js_deps_spec("t", {"package.json": json.dumps(more)}).tag != a.tag
    locked = js_deps_spec("t", {"package.json": json.dumps(base), "package-lock.json": "{}"})
    assert "npm ci" in locked.dockerfile and "npm install" in a.dockerfile
