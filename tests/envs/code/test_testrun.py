"""JUnit and log parsing of real pytest runs into node ids and statuses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from envfoundry.envs.code.testrun import parse_junit, parse_log, pytest_command

SUITE = {
    "tests/test_a.py": """\
import pytest


@pytest.fixture
def broken():
    raise RuntimeError("fixture exploded")


def test_pass():
    assert True


def test_fail():
    assert 1 + 1 == 3, "math is off"


def test_error(broken):
    pass


@pytest.mark.skip(reason="not today")
def test_skip():
    pass


@pytest.mark.xfail(reason="known")
def test_xfail():
    assert False


@pytest.mark.parametrize("value", [1, "a.b", "x::y"])
def test_param(value):
    assert value != 1


class TestThing:
    def test_method(self):
        assert True

    class TestInner:
        def test_deep(self):
            assert False
""",
    "tests/sub/test_b.py": "def test_b():\n    assert True\n",
    "tests/test_broken_import.py": "import does_not_exist_anywhere\n\n\ndef test_x():\n    pass\n",
}

EXPECTED = {
    "tests/test_a.py::test_pass": "passed",
    "tests/test_a.py::test_fail": "failed",
    "tests/test_a.py::test_error": "error",
    "tests/test_a.py::test_skip": "skipped",
    "tests/test_a.py::test_xfail": "skipped",
    "tests/test_a.py::test_param[1]": "failed",
    "tests/test_a.py::test_param[a.b]": "passed",
    "tests/test_a.py::test_param[x::y]": "passed",
    "tests/test_a.py::TestThing::test_method": "passed",
    "tests/test_a.py::TestThing::TestInner::test_deep": "failed",
    "tests/sub/test_b.py::test_b": "passed",
}


@pytest.fixture(scope="module")
def pytest_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, list[str]]:
    root = tmp_path_factory.mktemp("suite")
    for rel, text in SUITE.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    targets = sorted(SUITE)
    junit = root / "junit.xml"
    argv = pytest_command(targets, str(junit), str(root), python=sys.executable)
    proc = subprocess.run(argv, cwd=root, capture_output=True, text=True, check=False)
    assert proc.returncode == 1, proc.stdout[-3000:]
    return junit.read_text(), proc.stdout, targets


def test_junit_gives_node_ids_and_statuses(pytest_run: tuple[str, str, list[str]]) -> None:
    xml, _, targets = pytest_run
    results, file_errors = parse_junit(xml, targets)
    assert {k: r.status for k, r in results.items()} == EXPECTED
    assert "math is off" in results["tests/test_a.py::test_fail"].message
    assert "fixture exploded" in results["tests/test_a.py::test_error"].message
    assert list(file_errors) == ["tests/test_broken_import.py"]
    assert "does_not_exist_anywhere" in file_errors["tests/test_broken_import.py"]


def test_the_log_fallback_agrees_except_for_skips(pytest_run: tuple[str, str, list[str]]) -> None:
    _, output, _ = pytest_run
    results, file_errors = parse_log(output)
    # The short summary names no test for a plain skip ("SKIPPED [1] file:line").
    expected = {k: v for k, v in EXPECTED.items() if k != "tests/test_a.py::test_skip"}
    assert {k: r.status for k, r in results.items()} == expected
    assert list(file_errors) == ["tests/test_broken_import.py"]


def test_junit_parsing_rejects_what_is_not_junit(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        parse_junit("not xml at all")
    with pytest.raises(ValueError):
        parse_junit("<html></html>")
    results, errors = parse_junit('<testsuites><testsuite name="pytest" tests="0"/></testsuites>')
    assert results == {} and errors == {}
