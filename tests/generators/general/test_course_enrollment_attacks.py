"""Attacks on the course_enrollment verifiers: collateral enrolments and drops, a write left
out, questions answered after a write; and the variants that must pass (any order, a wrong
enrolment dropped again)."""

from __future__ import annotations

import pytest

from envfoundry.generators.general.categories.course_enrollment import CATEGORY
from tests.generators.general._attack_moves import (
    check_order_declared,
    first_that_works,
    param,
    rows,
    skipping,
)
from tests.generators.general._attacks import Episode

CASES = [(0, 0), (11, 7)]


def test_answer_lists_declare_their_order() -> None:
    check_order_declared(CATEGORY)


def _other_student(e: Episode) -> int:
    (me,) = rows(e, "SELECT id FROM students WHERE name = ?", param(e, "NAME"))
    return rows(e, "SELECT id FROM students WHERE id != ? ORDER BY id LIMIT 1", me["id"])[0]["id"]


def _enrol_other(e: Episode) -> str:
    sid = _other_student(e)
    codes = [r["code"] for r in rows(e, "SELECT code FROM courses ORDER BY code")]
    return first_that_works([f"tools.enroll(student_id={sid}, course_code={c!r})" for c in codes])


def _drop_other(e: Episode) -> str:
    (me,) = rows(e, "SELECT id FROM students WHERE name = ?", param(e, "NAME"))
    (r,) = rows(
        e,
        "SELECT student_id, course FROM enrollments WHERE student_id != ? AND status = 'active'"
        " ORDER BY id LIMIT 1",
        me["id"],
    )
    return f"tools.drop_course(student_id={r['student_id']}, course_code={r['course']!r})"


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), CASES)
@pytest.mark.parametrize("level", [1, 2])
def test_questions_fail_after_any_write(level: int, seed: int, index: int) -> None:
    with Episode(CATEGORY, level, seed, index) as e:
        ref = e.reference()
        assert ref.passed, ref.reason
        bad = e.run(e.around_reference(after=_enrol_other(e)))
        assert not bad.passed
        assert bad.reason.startswith("unexpected change")
        if level == 1:  # the set in another order
            answer = {"courses": list(reversed(ref.answer["courses"]))}
            assert e.answer_only(answer).passed
            dup = {"courses": ref.answer["courses"] + ref.answer["courses"][:1]}
            assert not e.answer_only(dup).passed


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), CASES)
@pytest.mark.parametrize("level", [3, 4])
def test_new_courses_and_nothing_else(level: int, seed: int, index: int) -> None:
    with Episode(CATEGORY, level, seed, index) as e:
        ref = e.reference()
        assert ref.passed, ref.reason
        permuted = e.around_reference(after="answer = {'courses': answer['courses'][::-1]}")
        assert e.run(permuted).passed
        collateral = e.run(e.around_reference(after=_enrol_other(e)))
        assert not collateral.passed
        assert "unexpected change: insert into enrollments" in collateral.reason
        assert not e.run(skipping(e, "enroll", 2)).passed


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), CASES)
def test_swap_level(seed: int, index: int) -> None:
    with Episode(CATEGORY, 5, seed, index) as e:
        ref = e.reference()
        assert ref.passed, ref.reason
        assert e.run(e.around_reference(after="answer['courses'].reverse()")).passed
        for attack in (_enrol_other(e), _drop_other(e)):
            bad = e.run(e.around_reference(after=attack))
            assert not bad.passed and "unexpected change" in bad.reason
        assert not e.run(skipping(e, "enroll", 1)).passed  # the required course left out
        assert not e.run(skipping(e, "drop_course", 1)).passed  # a clash kept
        assert not e.run(skipping(e, "enroll", 2)).passed  # the extra course left out
        # a wrong enrolment, dropped again, then the reference: the same term
        (me,) = rows(e, "SELECT id FROM students WHERE name = ?", param(e, "NAME"))
        taken = {
            r["course"]
            for r in rows(e, "SELECT course FROM enrollments WHERE student_id = ?", me["id"])
        } | {
            r["course"]
            for r in rows(e, "SELECT course FROM completed WHERE student_id = ?", me["id"])
        }
        codes = [
            r["code"]
            for r in rows(e, "SELECT code FROM courses WHERE enrolled < capacity ORDER BY code")
            if r["code"] not in taken and r["code"] != param(e, "REQUIRED")
        ]
        wrong = codes[0]
        undone = e.around_reference(
            before=f"""
            tools.enroll(student_id={me["id"]}, course_code={wrong!r})
            tools.drop_course(student_id={me["id"]}, course_code={wrong!r})
            """
        )
        assert e.run(undone).passed
