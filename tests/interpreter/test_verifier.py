"""Interpreter answer keys: numeric tolerances, near misses, reasoning-gym's own scorers."""

from __future__ import annotations

import pytest

from envfoundry.generators.interpreter import propose_rg
from envfoundry.verifiers.answers import AnswerKey
from envfoundry.verifiers.interpreter import (
    InterpreterKey,
    judge_answer,
    near_misses,
    tolerance_rule,
)


def number_key(value: float, abs_tol: float = 0.0, rel_tol: float = 0.0, unit: str | None = None):
    ak = AnswerKey(form="number", value=value, abs_tol=abs_tol, rel_tol=rel_tol, unit=unit)
    return InterpreterKey(scorer="match", answer_key=ak, rule=tolerance_rule(ak))


@pytest.mark.parametrize(
    ("answer", "passed"),
    [
        (7127.06, True),
        ("7127.06", True),
        ("7,127.064", True),  # inside ±0.005
        ("$7127.055", True),
        (7127.066, False),  # just outside
        (7127.05, False),
        ("712706", False),  # the right number in cents
        ("7127.06 or 7127.07", False),  # two numbers is no answer
        ("", False),
        (None, False),
    ],
)
def test_absolute_tolerance(answer: object, passed: bool) -> None:
    assert judge_answer(answer, number_key(7127.06, abs_tol=0.005, unit="dollars")).passed is passed


def test_relative_tolerance_and_the_rule_in_words() -> None:
    key = number_key(2.5e6, rel_tol=1e-3)
    assert judge_answer("2,502,400", key).passed
    assert not judge_answer("2,502,600", key).passed
    assert judge_answer("2.5 million", key).passed
    assert "±0.001 relative" in key.rule
    assert tolerance_rule(AnswerKey(form="number", value=3.0, abs_tol=0.01, unit="hours")) == (
        "a single number in hours, accepted within ±0.01 of the true value"
    )


def test_near_misses_fall_just_outside_the_tolerance() -> None:
    key = number_key(22.556, abs_tol=0.001)
    misses = dict(near_misses(key, 22.556))
    assert set(misses) == {"near_miss:above", "near_miss:below"}
    for answer in misses.values():
        assert not judge_answer(answer, key).passed
        assert abs(float(answer) - 22.556) < 0.002


def test_reasoning_gym_reference_scores_one_and_a_wrong_answer_zero() -> None:
    task = propose_rg(seed=3, index=5, dataset="prime_factorization", level=2)
    assert judge_answer(task.answer, task.key).passed
    assert judge_answer(task.answer, task.key).details["score"] == 1.0
    wrong = judge_answer("2 × 3", task.key)
    assert not wrong.passed and wrong.reward == 0.0
    assert not judge_answer("", task.key).passed


def test_reasoning_gym_partial_credit_does_not_pass() -> None:
    # gcd's scorer gives 0.5 to a wrong number; only a full score passes here
    task = propose_rg(seed=3, index=0, dataset="lcm", level=1)
    partial = judge_answer(str(int(task.answer) + 1), task.key)
    assert not partial.passed and partial.reward == 0.0
    for _, answer in near_misses(task.key, task.answer):
        assert not judge_answer(answer, task.key).passed
