"""Shared checks of the procedural catalog categories (trip, airline, retail, car, events, library).

Each category's test module calls these with its ``CATEGORY``: bad config is rejected, the
same seed gives the same draft, the draft is well-formed, and in the sandbox the reference
passes while the empty, null, random and perturbed answers fail.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

import jsonschema
import pytest

from envfoundry.generators.general.base import MAX_LEVEL, MIN_LEVEL, EnvironmentDraft
from envfoundry.generators.general.checks import check_environment_draft
from envfoundry.generators.general.specs import draft_to_specs
from envfoundry.models import RejectionCategory, check_json_schema

ALWAYS_TRUE = 'def verify(answer, db):\n    return True, "anything goes"\n'


def draft_hash(draft: EnvironmentDraft) -> str:
    h = hashlib.sha256(draft.db_bytes)
    for ts in draft.toolsets:
        h.update(ts.source.encode())
        h.update(json.dumps([t.model_dump(mode="json") for t in ts.tools], sort_keys=True).encode())
    for t in draft.tasks:
        for part in (t.prompt, t.solution_source, t.verifier_source, t.perturbed_solution_source):
            h.update(part.encode())
        h.update(json.dumps(t.answer_schema, sort_keys=True).encode())
    return h.hexdigest()


def check_bad_config(category: Any) -> None:
    with pytest.raises(ValueError, match="index"):
        category.build(0, -1)
    with pytest.raises(ValueError, match="seed"):
        category.build("0", 0)
    with pytest.raises(ValueError, match="level"):
        category.build(0, 0, levels=[MAX_LEVEL + 1])
    with pytest.raises(ValueError, match="level"):
        category.build(0, 0, levels=[MIN_LEVEL - 1])
    with pytest.raises(ValueError):
        category.build(0, 0, levels=[])


def check_determinism(category: Any) -> None:
    a, b = category.build(7, 3), category.build(7, 3)
    assert draft_hash(a) == draft_hash(b)
    assert a.db_bytes == b.db_bytes
    assert draft_hash(category.build(8, 3)) != draft_hash(a)
    assert draft_hash(category.build(7, 4)) != draft_hash(a)
    subset = category.build(7, 3, levels=[2, 4])
    assert [t.level for t in subset.tasks] == [2, 4]
    assert subset.tasks == tuple(t for t in a.tasks if t.level in (2, 4))


def check_structure(category: Any, *, writes: bool) -> None:
    for seed, index in ((0, 0), (5, 11)):
        draft = category.build(seed, index)
        assert draft.category == category.name
        assert len(draft.db_bytes) < 300 * 1024
        assert [t.level for t in draft.tasks] == list(range(MIN_LEVEL, MAX_LEVEL + 1))
        v1, v2 = draft.toolset(1), draft.toolset(2)
        assert 4 <= len(v1.tools) <= 8
        assert v2.source.startswith(v1.source)
        assert {t.name for t in v1.tools} < {t.name for t in v2.tools}
        assert any(t.toolset_version == 2 for t in draft.tasks)
        assert any(t.mutates for t in v2.tools) == writes
        for tool in v2.tools:
            assert tool.parameters["additionalProperties"] is False
        for t in draft.tasks:
            check_json_schema(t.answer_schema)
            assert "JSON" in t.prompt
            assert t.solution_source != t.perturbed_solution_source
        draft_to_specs(draft)  # every spec validates


def check_semantics(category: Any, seed: int, index: int) -> None:
    draft = category.build(seed, index)
    outcomes = check_environment_draft(draft, backend="local")
    assert len(outcomes) == len(draft.tasks)
    for out in outcomes:
        level = out.task.difficulty
        # a level a shortcut solves is dropped from the ladder as too easy (verifiers/
        # difficulty.py): the verifier is still sound, which is what is checked here
        too_easy = out.rejection is RejectionCategory.too_easy
        assert out.accepted or too_easy, f"level {level}: {out.reason}"
        assert out.reference_verdict is not None and out.reference_verdict.passed
        controls = out.control_verdicts
        for label in ("empty", "null", "random", "perturbed"):
            assert not controls[label].passed, f"level {level}: {label} control passed"
        perturbed = next(a for a in out.attempts if a.label == "control:perturbed")
        assert perturbed.answer is not None, f"level {level}: the perturbed solution crashed"
        jsonschema.validate(perturbed.answer, out.task.answer_schema)


def check_always_true_is_unsound(category: Any, level: int) -> None:
    """An always-True verifier would accept the perturbed answer: acceptance rejects it."""
    draft = category.build(3, 1, levels=[level])
    lax = dataclasses.replace(
        draft, tasks=tuple(dataclasses.replace(t, verifier_source=ALWAYS_TRUE) for t in draft.tasks)
    )
    (out,) = check_environment_draft(lax, backend="local")
    assert not out.accepted
    assert out.rejection is RejectionCategory.verifier_unsound
    assert out.control_verdicts["perturbed"].passed
