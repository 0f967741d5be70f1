"""Problem statements: the issue first; otherwise the message and the observed errors."""

from __future__ import annotations

from envfoundry.envs.code.testrun import TestResult, TestRun
from envfoundry.generators.code.statement import clean_message, write_statement

BEFORE = TestRun(
    results={
        "tests/test_a.py::test_upper": TestResult(
            status="failed",
            message="assert 10 == 3\ntests/test_a.py:4: in test_upper\n    assert clamp(10, 0, 3) == 3"
            "\nE   assert 10 == 3\nE    +  where 10 = clamp(10, 0, 3)",
        ),
        "tests/test_a.py::test_lambda": TestResult(
            status="failed",
            message="E   assert False\nE    +  where False = raises(KeyError, "
            "<function test_lambda.<locals>.<lambda> at 0x7f00deadbeef>)",
        ),
        "tests/test_a.py::test_ok": TestResult(status="passed"),
    },
    file_errors={"tests/test_b.py": "E   ImportError: cannot import name 'neg' from 'calc'"},
    parser="junit",
)


def test_the_issue_text_wins() -> None:
    text = write_statement(
        issue_title="clamp ignores hi", issue_body="clamp(10, 0, 3) gives 10", message="Fix"
    )
    assert text == "clamp ignores hi\n\nclamp(10, 0, 3) gives 10"


def test_without_an_issue_the_message_and_errors_never_the_tests() -> None:
    text = write_statement(
        message="Fix clamp (#12)\n\nValues above hi were returned.\n\nSigned-off-by: A <a@b>",
        before=BEFORE,
        fail_to_pass=[
            "tests/test_a.py::test_upper",
            "tests/test_a.py::test_lambda",
            "tests/test_b.py::test_neg",
        ],
    )
    assert text.startswith("Fix clamp\n\nValues above hi were returned.")
    assert "assert 10 == 3 +  where 10 = clamp(10, 0, 3)" in text
    assert "ImportError: cannot import name 'neg' from 'calc'" in text
    assert "raises(KeyError, <function>)" in text
    assert "Signed-off-by" not in text and "#12" not in text
    for hidden in ("test_upper", "test_lambda", "test_neg", "tests/test_a.py", "0x7f"):
        assert hidden not in text


def test_clean_message_drops_merge_boilerplate() -> None:
    assert clean_message("Merge pull request #5 from a/b\n\nMake x faster") == "Make x faster"


def test_addresses_in_shortened_reprs_do_not_reach_the_statement() -> None:
    before = TestRun(
        results={
            "t.py::test_juxt": TestResult(
                status="failed",
                message="E   assert <generator ob...x7f3e59f76c40> == (0, 2, 4)\n"
                "E   assert <object object at 0x7ff0> == 1; id 0x7ff043d52c40",
            )
        },
        parser="junit",
    )
    text = write_statement(
        message="Return a tuple from juxt", before=before, fail_to_pass=["t.py::test_juxt"]
    )
    assert "<generator ob...x…> == (0, 2, 4)" in text and "id 0x…" in text
    assert "7f3e" not in text and "7ff0" not in text
