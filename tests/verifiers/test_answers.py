"""Answer matching: normalization of names, codes, numbers and sets; never raising."""

from __future__ import annotations

import pytest

from envfoundry.verifiers.answers import AnswerKey, match_answer, normalize_text, parse_number

USA = AnswerKey(
    form="name",
    value="United States",
    aliases=("United States of America", "US", "USA", "美国"),
)


@pytest.mark.parametrize(
    "answer", ["United States", "U.S.", "u.s.a.", "the United States", "  united   STATES ", "美国"]
)
def test_country_aliases_match(answer: str) -> None:
    assert match_answer(answer, USA).passed


@pytest.mark.parametrize("answer", ["United", "United States Virgin Islands", "US Dollar", ""])
def test_partial_or_other_names_fail(answer: str) -> None:
    verdict = match_answer(answer, USA)
    assert not verdict.passed and verdict.reward == 0.0 and not verdict.infra_error


def test_diacritics_punctuation_and_special_letters() -> None:
    key = AnswerKey(form="name", value="São Tomé and Príncipe")
    assert match_answer("Sao Tome & Principe", key).passed
    assert match_answer("SÃO TOMÉ AND PRÍNCIPE.", key).passed
    assert match_answer("Łódź", AnswerKey(form="name", value="Lodz")).passed
    assert match_answer("O'Hare", AnswerKey(form="name", value="OHare")).passed


def test_chinese_name_vs_english_name() -> None:
    key = AnswerKey(form="name", value="安道尔", aliases=("Andorra",))
    assert match_answer("Andorra", key).passed
    assert match_answer("安道尔", key).passed
    assert match_answer("安 道 尔", key).passed
    assert not match_answer("法国", key).passed


@pytest.mark.parametrize(
    ("answer", "ok"),
    [
        ("1,000", True),
        ("1000", True),
        ("1 000", True),
        (1000, True),
        (1000.0, True),
        ("1.0 thousand", True),
        ("about 1,000 people", True),
        ("1,001", False),
        ("1000 or 2000", False),
        ("one thousand", False),
        (True, False),
    ],
)
def test_numbers_with_separators(answer: object, ok: bool) -> None:
    assert match_answer(answer, AnswerKey(form="number", value=1000)).passed is ok


def test_number_tolerance_units_and_chinese_scales() -> None:
    area = AnswerKey(form="number", value=468.0, rel_tol=0.01, unit="km²")
    assert match_answer("468 km²", area).passed
    assert match_answer("470", area).passed
    assert not match_answer("480", area).passed
    assert parse_number("1.5万") == 15000
    assert parse_number("3,5") == 3.5
    assert parse_number("2.3 million") == pytest.approx(2_300_000)


def test_exact_large_numbers_are_exact() -> None:
    # Rounding slack must not become a tolerance: off by one is wrong at any magnitude.
    people = AnswerKey(form="number", value=1_031_833_000.0)
    assert match_answer("1,031,833,000", people).passed
    assert match_answer("1.031833 billion", people).passed
    assert match_answer("10.31833亿", people).passed
    assert not match_answer(1_031_833_001, people).passed
    assert match_answer("2.3 million", AnswerKey(form="number", value=2_300_000)).passed


def test_sets_are_order_free_and_exact() -> None:
    key = AnswerKey(form="set", value=("France", "Spain"), element_aliases=(("法国",), ("西班牙",)))
    assert match_answer("Spain, France", key).passed
    assert match_answer(["France", "Spain"], key).passed
    assert match_answer("西班牙、法国", key).passed
    assert not match_answer(["France"], key).passed
    assert not match_answer(["France", "Spain", "Italy"], key).passed


@pytest.mark.parametrize("answer", [None, {"x": 1}, ["a"], object(), float("nan"), "   "])
def test_malformed_answers_are_verdicts(answer: object) -> None:
    verdict = match_answer(answer, USA)
    assert not verdict.passed and not verdict.infra_error


def test_bad_keys_are_rejected() -> None:
    with pytest.raises(ValueError):
        AnswerKey(form="number", value="many")
    with pytest.raises(ValueError):
        AnswerKey(form="name", value="...")
    with pytest.raises(ValueError):
        AnswerKey(form="name", value="x", extra=1)  # type: ignore[call-arg]


def test_normalize_text() -> None:
    assert normalize_text("U.S.") == normalize_text("US") == "us"
    assert normalize_text("The Hague") == "hague"
    assert normalize_text("Saint-Étienne") == "saint etienne"
