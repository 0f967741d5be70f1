"""Bug injection's pure parts: the problem statement and the coverage heuristic."""

from __future__ import annotations

from envfoundry.envs.code.testrun import TestResult, TestRun
from envfoundry.generators.code.inject import Baseline, injected_statement, reported_failures
from envfoundry.generators.code.mutations import python_mutations

SOURCE = "def area(w, h):\n    return w * h\n"


def _run(message: str) -> TestRun:
    return TestRun(
        results={
            "tests/test_geo.py::test_area": TestResult(status="failed", message=message),
            "tests/test_geo.py::test_zero": TestResult(status="passed"),
        },
        parser="junit",
        exit_code=1,
        reason="nonzero",
    )


def test_statement_reports_the_failure_without_the_code_or_the_test_names() -> None:
    m = next(m for m in python_mutations("geo/shapes.py", SOURCE) if m.after == "+")
    mutated = m.apply(SOURCE)
    run = _run("E   assert 5 == 6\nE    +  where 5 = area(2, 3)")
    text = injected_statement(run, ["tests/test_geo.py::test_area"], m, SOURCE, mutated)
    assert "`area` in `geo.shapes`" in text
    assert "assert 5 == 6 +  where 5 = area(2, 3)" in text
    assert "one of the repository's tests now fails" in text
    assert "w + h" not in text and "w * h" not in text and "test_area" not in text


def test_a_message_quoting_the_mutated_line_is_left_out() -> None:
    m = next(m for m in python_mutations("geo/shapes.py", SOURCE) if m.after == "+")
    mutated = m.apply(SOURCE)
    run = _run("E       return w + h\nE   TypeError: boom")
    text = injected_statement(run, ["tests/test_geo.py::test_area"], m, SOURCE, mutated)
    assert "return w + h" not in text
    assert "wrong results rather than a clear error message" in text


def test_covering_tests_are_the_test_files_naming_the_module() -> None:
    run = _run("")
    texts = {
        "tests/test_geo.py": "from geo.shapes import area\n",
        "tests/test_other.py": "import geo.colours\n",
    }
    baseline = Baseline(run=run, test_texts=texts)
    assert baseline.covering("geo/shapes.py") == ("tests/test_geo.py",)
    assert baseline.covering("geo/__init__.py") == ("tests/test_geo.py",)  # names `geo`
    assert baseline.covering("geo/colours.py") == ()  # test_other never ran: whole suite
    assert baseline.problem() is None


def test_go_and_js_reports_drop_frames_positions_and_test_names() -> None:
    go_panic = (
        "panic: interface conversion: interface {} is nil, not *mux.Route [recovered]\n"
        "\tpanic: interface conversion: interface {} is nil, not *mux.Route\n\n"
        "goroutine 7 [running]:\ntesting.tRunner.func1.2({0x6e4a00, 0xc0000a2f90})\n"
        "\t/usr/lib/go-1.19/src/testing/testing.go:1396 +0x24e\nFAIL\tgithub.com/gorilla/mux\t0.012s\n"
    )
    snapshot = (
        "Error: Snapshot `cookie.parse > top sites > youtube.com 1` mismatched\n"
        "    at /work/repo/src/parse.spec.ts:12:5\n"
    )
    run = TestRun(
        results={
            ".::TestRoute": TestResult(status="failed", message=go_panic),
            ".::TestVars": TestResult(status="failed", message="vars.go:12: got 2, want 3\n"),
            "src/parse.spec.ts::cookie.parse > top sites > youtube.com": TestResult(
                status="failed", message=snapshot
            ),
        },
        parser="json",
        exit_code=1,
        reason="nonzero",
    )
    names = list(run.results)
    assert reported_failures(run, names) == [
        "panic: interface conversion: interface {} is nil, not *mux.Route [recovered] "
        "panic: interface conversion: interface {} is nil, not *mux.Route",
        "got 2, want 3",
        "Error: a snapshot mismatched",
    ]
