"""Judging interpreter tasks: an answer key with explicit tolerance rules, or a
reasoning-gym dataset's own scorer.

The key is task data (``VerifierSpec.config``): ``scorer`` says which judge applies.
``match`` keys reuse :func:`envfoundry.verifiers.answers.match_answer` (numbers within
``abs_tol`` / ``rel_tol``, exact names, sets), so there is one way to match an answer;
``reasoning_gym`` keys call the dataset's ``score_answer`` (trusted library code, on the
host) and pass only a full score. :func:`tolerance_rule` states the rule in words for the
prompt and ``tasks show``; :func:`near_misses` derives answers just outside it.
"""

from __future__ import annotations

import contextlib
import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from envfoundry.errors import VerifierError
from envfoundry.models import TaskSpec, Verdict
from envfoundry.verifiers.answers import AnswerKey, match_answer, parse_number

Scorer = Literal["match", "reasoning_gym"]


class InterpreterKey(BaseModel):
    """How an interpreter task's answer is judged (``VerifierSpec.config``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    scorer: Scorer
    answer_key: AnswerKey | None = None  # scorer "match"
    dataset: str | None = None  # scorer "reasoning_gym": the dataset's name
    entry: dict[str, Any] | None = None  # ... and the generated item it scores against
    rule: str = ""  # the tolerance rule in words (shown to the policy and by `tasks show`)


def key_of(task: TaskSpec) -> InterpreterKey:
    """The task's key; VerifierError when the stored spec is not an interpreter one."""
    try:
        key = InterpreterKey.model_validate(task.verifier.config)
    except ValidationError as exc:
        raise VerifierError(f"task {task.id}: invalid interpreter key: {exc}") from None
    if key.scorer == "match" and key.answer_key is None:
        raise VerifierError(f"task {task.id}: a match key needs answer_key")
    if key.scorer == "reasoning_gym" and (not key.dataset or key.entry is None):
        raise VerifierError(f"task {task.id}: a reasoning_gym key needs dataset and entry")
    return key


def tolerance_rule(key: AnswerKey) -> str:
    """The answer key's acceptance rule in one sentence."""
    unit = f" in {key.unit}" if key.unit else ""
    if key.form == "number":
        parts = []
        if key.abs_tol:
            parts.append(f"±{key.abs_tol:g}")
        if key.rel_tol:
            parts.append(f"±{key.rel_tol:.3g} relative")
        tol = " or ".join(parts) if parts else "exactly"
        within = (
            f"within {tol} (whichever is larger)"
            if len(parts) > 1
            else ("exactly" if not parts else f"within {tol}")
        )
        return f"a single number{unit}, accepted {within} of the true value"
    if key.form == "set":
        return "every expected element, nothing extra, in any order"
    return f"the exact {key.form}{unit} (case, spacing and punctuation ignored)"


def _score_rg(answer: Any, dataset: str, entry: dict[str, Any]) -> Verdict:
    from reasoning_gym import get_score_answer_fn

    if answer is None or (isinstance(answer, str) and not answer.strip()):
        return Verdict.fail("empty answer", scorer="reasoning_gym")
    text = answer if isinstance(answer, str) else str(answer)
    try:
        score = float(get_score_answer_fn(dataset)(text, entry))
    except Exception as exc:  # the library's scorer on a malformed answer: a wrong answer
        return Verdict.fail(f"the scorer rejected the answer ({type(exc).__name__})")
    if score >= 1.0:
        return Verdict.ok("reasoning-gym scorer: 1.0", scorer="reasoning_gym", score=score)
    return Verdict.fail(
        f"reasoning-gym scorer: {score:g} (only 1.0 passes)", scorer="reasoning_gym", score=score
    )


def judge_answer(answer: Any, key: InterpreterKey) -> Verdict:
    """The verdict on ``answer``; never raises for a wrong or malformed answer."""
    if key.scorer == "reasoning_gym":
        if key.dataset is None or key.entry is None:
            return Verdict.fail("the task's key names no reasoning-gym item")
        return _score_rg(answer, key.dataset, key.entry)
    if key.answer_key is None:
        return Verdict.fail("the task's key has no answer")
    return match_answer(answer, key.answer_key)


def _fmt(x: float) -> str:
    return f"{x:.12g}"


def near_misses(key: InterpreterKey, reference: Any) -> list[tuple[str, Any]]:
    """Answers just outside the rule: they must fail, or the tolerance is too loose."""
    out: list[tuple[str, Any]] = []
    if key.scorer == "match" and key.answer_key is not None and key.answer_key.form == "number":
        ak = key.answer_key
        want = float(ak.value)  # type: ignore[arg-type]
        tol = max(ak.abs_tol, ak.rel_tol * abs(want))
        step = tol * 1.5 if tol else max(1e-9, abs(want) * 1e-9)
        out += [("near_miss:above", _fmt(want + step)), ("near_miss:below", _fmt(want - step))]
        return out
    text = str(reference).strip() if reference is not None else ""
    if not text:
        return out
    if text.lower().startswith(("0x", "-0x")):
        with contextlib.suppress(ValueError):
            out.append(("near_miss:plus_one", hex(int(text, 16) + 1)))
        return out
    got = parse_number(text)
    if got is not None and text.lstrip("-").replace(".", "", 1).isdigit():
        if got == int(got) and "." not in text:
            out.append(("near_miss:plus_one", str(int(got) + 1)))
        elif math.isfinite(got) and got != 0:
            out.append(("near_miss:one_percent", _fmt(got * 1.01)))
    return out
