"""Answer matching for short factual answers: names, codes, numbers and sets.

An :class:`AnswerKey` declares the form of the expected answer and every accepted
spelling. :func:`match_answer` normalizes both sides — Unicode compatibility forms, case,
diacritics (``São Tomé`` = ``Sao Tome``), punctuation (``U.S.`` = ``US``), whitespace, a
leading article — and compares whole answers: an answer that merely *contains* the right
string is wrong. Numbers accept thousands separators (``1,000`` = ``1000`` = ``1 000``),
decimal commas, words such as ``million`` and Chinese ``万``/``亿``, within the key's
tolerance. Sets are order-free and need every element, nothing extra. It returns a
:class:`~envfoundry.models.Verdict` and never raises for a wrong or malformed answer.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from envfoundry.models import Verdict

AnswerForm = Literal["name", "code", "number", "set"]

# Letters NFKD does not decompose into a base letter plus a combining mark.
_LETTERS = str.maketrans(
    {"ø": "o", "đ": "d", "ł": "l", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d", "ħ": "h"}
)
# Punctuation that joins the parts of one word or abbreviation: dropped, not spaced.
_JOINERS = str.maketrans("", "", ".'’ʻʼ`´\u00b7")
_SUPERSCRIPTS = str.maketrans("", "", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_ARTICLE = re.compile(r"^(the|a|an) ")
_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])")
_SET_SPLIT = re.compile(r"\s*(?:[;；、，,|/]|\band\b|和|与)\s*")
_NUMBER = re.compile(
    r"[-+−]?(?:\d{1,3}(?:[,\u00a0\u202f\u2009 ]\d{3})+|\d+)(?:[.,]\d+)?(?:[eE][-+]?\d+)?"
)
_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "万": 1e4,
    "亿": 1e8,
    "千": 1e3,
    "百万": 1e6,
}


class AnswerKey(BaseModel):
    """The expected answer and its accepted forms (serialisable task data)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    form: AnswerForm
    value: str | float | tuple[str, ...]
    aliases: tuple[str, ...] = Field(default=(), description="other accepted spellings")
    element_aliases: tuple[tuple[str, ...], ...] = Field(
        default=(), description="set form: accepted spellings of each element of value"
    )
    abs_tol: float = Field(default=0.0, ge=0.0)
    rel_tol: float = Field(default=0.0, ge=0.0, le=1.0)
    unit: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> AnswerKey:
        if self.form == "number":
            if isinstance(self.value, bool) or not isinstance(self.value, int | float):
                raise ValueError("a number answer needs a numeric value")
            if not math.isfinite(float(self.value)):
                raise ValueError("a number answer must be finite")
        elif self.form == "set":
            if not isinstance(self.value, tuple) or not self.value:
                raise ValueError("a set answer needs a non-empty tuple of elements")
            if self.element_aliases and len(self.element_aliases) != len(self.value):
                raise ValueError("element_aliases must have one entry per element")
        elif not isinstance(self.value, str) or not normalize_text(self.value):
            raise ValueError(f"a {self.form} answer needs a non-empty string value")
        return self


@lru_cache(maxsize=65536)
def normalize_text(text: str) -> str:
    """Fold ``text`` to its comparable form (see the module docstring)."""
    s = unicodedata.normalize("NFKC", text).casefold().translate(_LETTERS)
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    s = s.replace("&", " and ").translate(_JOINERS)
    s = "".join(c if c.isalnum() else " " for c in s)
    s = " ".join(s.split())
    s = _CJK_SPACE.sub("", s)
    return _ARTICLE.sub("", s)


def parse_number(answer: Any) -> float | None:
    """The one number an answer states (``None`` when it states none or several)."""
    if isinstance(answer, bool):
        return None
    if isinstance(answer, int | float):
        return float(answer) if math.isfinite(float(answer)) else None
    if not isinstance(answer, str):
        return None
    # Superscripts belong to units (km², m³); NFKC would turn them into digits.
    text = unicodedata.normalize("NFKC", answer.translate(_SUPERSCRIPTS)).strip()
    found = list(_NUMBER.finditer(text))
    if len(found) != 1:
        return None
    raw = found[0].group(0).replace("−", "-")
    raw = re.sub(r"[\u00a0\u202f\u2009 ]", "", raw)
    if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", raw):
        raw = raw.replace(",", "")
    elif "," in raw and "." not in raw:
        raw = raw.replace(",", ".")  # a decimal comma: "3,5"
    elif "," in raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    rest = text[found[0].end() :].strip().casefold()
    for word, scale in sorted(_SCALES.items(), key=lambda kv: -len(kv[0])):
        if rest.startswith(word) and (
            len(rest) == len(word) or not rest[len(word)].isalpha() or not word.isascii()
        ):
            return value * scale
    return value


def _spellings(key: AnswerKey) -> frozenset[str]:
    return _normalized_set((str(key.value), *key.aliases))


@lru_cache(maxsize=65536)
def _normalized_set(spellings: tuple[str, ...]) -> frozenset[str]:
    return frozenset(n for n in (normalize_text(s) for s in spellings) if n)


def _match_number(answer: Any, key: AnswerKey) -> Verdict:
    got = parse_number(answer)
    if got is None:
        return Verdict.fail("the answer does not state exactly one number", form="number")
    want = float(key.value)  # type: ignore[arg-type]
    tol = max(key.abs_tol, key.rel_tol * abs(want))
    # Slack for float rounding only (parsing, scale words): at 1e-9 it let 1,031,833,001
    # pass for 1,031,833,000.
    if abs(got - want) <= tol + 1e-12 * max(1.0, abs(want)):
        return Verdict.ok("number within tolerance", form="number", got=got)
    return Verdict.fail("number outside tolerance", form="number", got=got)


def _set_elements(answer: Any) -> list[str] | None:
    if isinstance(answer, list | tuple | set | frozenset):
        items = [str(a) for a in answer if isinstance(a, str | int | float)]
    elif isinstance(answer, str):
        items = _SET_SPLIT.split(answer)
    else:
        return None
    return [n for n in (normalize_text(i) for i in items) if n]


def _match_set(answer: Any, key: AnswerKey) -> Verdict:
    elements = _set_elements(answer)
    if not elements:
        return Verdict.fail("the answer lists no elements", form="set")
    gold = key.value if isinstance(key.value, tuple) else (str(key.value),)
    accepted = [
        _normalized_set((g, *(key.element_aliases[i] if key.element_aliases else ())))
        for i, g in enumerate(gold)
    ]
    covered: set[int] = set()
    for el in dict.fromkeys(elements):
        hits = [i for i, acc in enumerate(accepted) if el in acc]
        if not hits:
            return Verdict.fail("the answer lists an element that is not expected", form="set")
        covered.update(hits)
    if len(covered) != len(gold):
        return Verdict.fail(f"the answer names {len(covered)} of {len(gold)} elements", form="set")
    return Verdict.ok("every element matched, nothing extra", form="set")


def match_answer(answer: Any, key: AnswerKey) -> Verdict:
    """Judge ``answer`` against ``key``: a :class:`Verdict`, never an exception."""
    try:
        if answer is None or (isinstance(answer, str) and not answer.strip()):
            return Verdict.fail("empty answer", form=key.form)
        if key.form == "number":
            return _match_number(answer, key)
        if key.form == "set":
            return _match_set(answer, key)
        if not isinstance(answer, str | int | float) or isinstance(answer, bool):
            return Verdict.fail(f"a {key.form} answer must be a string", form=key.form)
        got = normalize_text(str(answer))
        if got and got in _spellings(key):
            return Verdict.ok("matched an accepted spelling", form=key.form)
        return Verdict.fail("no accepted spelling matches", form=key.form)
    except (TypeError, ValueError, OverflowError, RecursionError) as exc:
        return Verdict.fail(f"malformed answer: {type(exc).__name__}", form=key.form)


def answer_matches(answer: Any, key: AnswerKey) -> bool:
    """``match_answer(answer, key).passed`` without building the verdict's details."""
    return match_answer(answer, key).passed
