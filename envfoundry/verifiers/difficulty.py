"""Measured difficulty: offline signals of a judged task, and the label derived from them.

Signals are read from the attempts acceptance stored (any family fills what applies):

* ``min_calls`` — the reference's tool-call count (its plan is the minimal one we know);
* ``search_space`` — the distinct records the reference's tool results showed it: every
  JSON object with an id-like key (``id``, ``sku``, ``*_id`` …, see
  :func:`~envfoundry.verifiers.adversary.is_id_key`), counted once per (tool, id key, id)
  and summed over tools. It counts the candidates the reference had to look at, so it is
  a lower bound of the rows the task's constraints range over; ``None`` without calls;
* the shortcut panel — the adversary's shortcut solvers (``shortcut:first_hit``,
  ``shortcut:cheapest``, ``shortcut:constraint_dropped``) and ``greedy_other``, whether
  stored as controls or as probes: ``shortcuts`` judged, ``shortcuts_passed`` (their
  labels) and ``shortcut_success`` = passed / judged (``None`` when no shortcut applies);
* ``pass_rate``, ``pass_at_k`` and ``k`` once a policy's rollouts were judged.

The label (:func:`label`): a measured pass rate decides when there is one (the bins of
:func:`envfoundry.verifiers.passk.difficulty_label`); offline, a task some shortcut solves
is ``easy``; otherwise effort = ``min_calls + log2(1 + search_space)`` gives ``easy``
below 8, ``medium`` below 16 and ``hard`` from 16 on. The template's level name plays no
part.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from envfoundry.models import Attempt, AttemptKind, RejectionCategory, TaskStatus
from envfoundry.verifiers.acceptance import TaskOutcome
from envfoundry.verifiers.adversary import ID_KEYS, attack_kind, is_id_key
from envfoundry.verifiers.passk import difficulty_label

SHORTCUT_KINDS = ("shortcut", "greedy_other")
EASY_BELOW = 8.0
MEDIUM_BELOW = 16.0
# from this level on, a task a shortcut solves is no harder level of its ladder
SHORTCUT_FREE_FROM = 2


def shortcut_attempts(attempts: Iterable[Attempt]) -> list[Attempt]:
    """The shortcut panel's judged attempts (controls and probes; void ones were never stored)."""
    out = []
    for a in attempts:
        side, _, label = a.label.partition(":")
        kind = attack_kind(label)
        if (
            a.kind is AttemptKind.control
            and side in ("control", "probe")
            and kind in SHORTCUT_KINDS
        ):
            out.append(a)
    return out


def shortcuts_passed(attempts: Iterable[Attempt]) -> list[str]:
    """Labels (without the control/probe prefix) of the shortcuts the verifier accepted."""
    return [a.label.partition(":")[2] for a in shortcut_attempts(attempts) if a.verdict.passed]


def _record_id(obj: dict[str, Any]) -> tuple[str, Any] | None:
    for key in (*ID_KEYS, *obj):
        if key in obj and is_id_key(str(key)):
            value = obj[key]
            if isinstance(value, int | str) and not isinstance(value, bool):
                return str(key), value
    return None


def search_space(calls: list[dict[str, Any]]) -> int | None:
    """Distinct records (objects with an id) in the results of ``calls``, per tool."""
    if not calls:
        return None
    seen: set[tuple[str, str, str]] = set()

    def walk(tool: str, value: Any) -> None:
        if isinstance(value, dict):
            rid = _record_id(value)
            if rid is not None:
                seen.add((tool, rid[0], repr(rid[1])))
            for v in value.values():
                walk(tool, v)
        elif isinstance(value, list):
            for v in value:
                walk(tool, v)

    for call in calls:
        walk(str(call.get("name")), call.get("result"))
    return len(seen)


def measure(attempts: list[Attempt]) -> dict[str, Any]:
    """The offline signals of a judged task, from its stored attempts, with their label."""
    ref = next((a for a in attempts if a.label == "reference"), None)
    details = ref.verdict.details if ref is not None else {}
    calls = details.get("tool_calls") if isinstance(details.get("tool_calls"), list) else None
    min_calls = details.get("min_calls")
    if min_calls is None and calls is not None:
        min_calls = len(calls)
    panel = shortcut_attempts(attempts)
    passed = [a.label.partition(":")[2] for a in panel if a.verdict.passed]
    signals: dict[str, Any] = {
        "min_calls": min_calls,
        "search_space": search_space(calls) if calls is not None else None,
        "shortcuts": len(panel),
        "shortcuts_passed": passed,
        "shortcut_success": round(len(passed) / len(panel), 4) if panel else None,
        "pass_rate": None,
        "pass_at_k": None,
        "k": None,
    }
    signals["label"] = label(signals)
    return signals


def effort(signals: dict[str, Any]) -> float | None:
    """``min_calls + log2(1 + search_space)``, or None without a call count."""
    calls = signals.get("min_calls")
    if calls is None:
        return None
    space = signals.get("search_space") or 0
    return float(calls) + math.log2(1 + space)


def label(signals: dict[str, Any]) -> str | None:
    """The difficulty label the measurements give (see the module docstring)."""
    if signals.get("pass_rate") is not None:
        return difficulty_label(float(signals["pass_rate"]))
    if signals.get("shortcut_success"):
        return "easy"
    e = effort(signals)
    if e is None:
        return None
    if e < EASY_BELOW:
        return "easy"
    return "medium" if e < MEDIUM_BELOW else "hard"


def with_rollouts(
    signals: dict[str, Any] | None, pass_rate: float, pass_at_k: float, k: int
) -> dict[str, Any]:
    """``signals`` with a policy's measured pass rate and pass@k, relabelled."""
    out = {**(signals or {}), "pass_rate": pass_rate, "pass_at_k": pass_at_k, "k": k}
    out["label"] = label(out)
    return out


def reject_if_shortcut_solves(outcome: TaskOutcome) -> TaskOutcome:
    """An accepted task of level >= 2 that a shortcut solver solves becomes ``too_easy``.

    Only probes can pass on an accepted task (a shortcut stored as a wrong control that
    passes already made it ``verifier_unsound``): a probe's answer is one more right answer
    of a task that admits several, so the shortcut is a way to solve it without the work
    its level stands for. Level 1 keeps it (and records the shortcut's success).
    """
    if not outcome.accepted or outcome.task.difficulty < SHORTCUT_FREE_FROM:
        return outcome
    passed = list(dict.fromkeys(shortcuts_passed(outcome.attempts)))  # one per kind named
    if not passed:
        return outcome
    return replace(
        outcome,
        status=TaskStatus.rejected,
        rejection=RejectionCategory.too_easy,
        reason=f"level {outcome.task.difficulty} is solved by shortcut(s): " + ", ".join(passed),
    )
