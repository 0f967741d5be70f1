"""Acceptance of general tasks: reference passes, controls fail, unsound verifiers rejected."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from envfoundry.config import load_settings
from envfoundry.envs.backends import get_backend
from envfoundry.generators.general.base import EnvironmentDraft, TaskDraft, Toolset
from envfoundry.generators.general.checks import check_environment_draft
from envfoundry.generators.general.specs import draft_to_specs
from envfoundry.models import RejectionCategory, TaskSpec, VerifierSpec
from envfoundry.verifiers.general import CheckLimits, check_task, loaded_session
from envfoundry.verifiers.static import check_solution
from tests.cities_env import (
    BOOK_SOLVE,
    BOOK_VERIFY,
    PERTURBED,
    SCHEMA,
    SOLVE,
    TOOL_SPECS,
    TOOLS,
    VERIFY,
    make_db,
)


def make_draft(**task_overrides: Any) -> EnvironmentDraft:
    tools = TOOL_SPECS
    base = dict(
        level=1,
        prompt='Which city is the most populous? Answer {"city": NAME}.',
        answer_schema=SCHEMA,
        solution_source=SOLVE,
        verifier_source=VERIFY,
        perturbed_solution_source=PERTURBED,
    )
    base.update(task_overrides)
    return EnvironmentDraft(
        category="test_cities",
        name="cities-0",
        db_bytes=make_db(),
        toolsets=(Toolset(version=1, source=TOOLS, tools=tools),),
        tasks=(TaskDraft(**base),),  # type: ignore[arg-type]
        provenance={"seed": 0, "index": 0},
    )


@pytest.fixture(scope="module", params=["local", pytest.param("docker", marks=pytest.mark.docker)])
def local_backend(request: pytest.FixtureRequest) -> Iterator[Any]:
    """The same checks on the local backend and, under the docker marker, in containers."""
    from envfoundry.envs.docker_api import docker_answers

    if request.param == "docker" and not docker_answers():
        pytest.skip("no Docker daemon answers")
    backend = get_backend(load_settings(sandbox_backend=request.param))
    yield backend
    backend.close()


def test_sound_task_is_accepted(local_backend: Any) -> None:
    [outcome] = check_environment_draft(make_draft(), backend=local_backend)
    assert outcome.accepted, outcome.reason
    assert outcome.reference_answer == {"city": "Hangzhou"}
    controls = outcome.control_verdicts
    assert set(controls) == {"empty", "null", "random", "perturbed"}
    assert not any(v.passed for v in controls.values())
    assert outcome.reference_verdict is not None and outcome.reference_verdict.passed


def _judge_counting_ops(backend: Any, draft: EnvironmentDraft, limits: Any = None) -> Any:
    """Judge the draft's one task in a real session, counting the runner ops it sends."""
    specs = draft_to_specs(draft)
    [env], [task] = specs.environments, specs.tasks
    ops: list[str] = []
    with loaded_session(backend, env, specs.db_bytes) as session:
        request = session.request

        def counted(op: str, *args: Any, **kw: Any) -> Any:
            ops.append(op)
            return request(op, *args, **kw)

        session.request = counted  # type: ignore[method-assign]
        outcome = check_task(session, env, task, limits)
    return outcome, ops


def test_rerun_and_bare_controls_share_one_verifier_run(local_backend: Any) -> None:
    outcome, ops = _judge_counting_ops(local_backend, make_draft())
    assert outcome.accepted, outcome.reason
    # the reference's verdict, then the rerun's with empty/null/random: two verifier children
    assert ops.count("run_verifier") == 2
    assert ops.count("run_solution") == 2  # reference and rerun
    labels = [a.label for a in outcome.attempts]
    assert labels[:2] == ["reference", "reference:rerun"]
    assert {"control:empty", "control:null", "control:random"} <= set(labels)
    assert outcome.attempts[1].verdict.passed


# hangs on the null control: a verifier run that judges it with the rerun runs out of time
HANGS_ON_NULL = VERIFY.replace(
    "def verify(answer, db):\n",
    "def verify(answer, db):\n    while answer is None:\n        pass\n",
)


def test_a_batch_that_times_out_judges_the_rerun_on_its_own(local_backend: Any) -> None:
    limits = CheckLimits(verifier_timeout_s=1.0)
    outcome, ops = _judge_counting_ops(
        local_backend, make_draft(verifier_source=HANGS_ON_NULL), limits
    )
    # not "nondeterministic": the rerun was judged again alone, and passed like the reference
    assert outcome.rejection is not RejectionCategory.nondeterministic, outcome.reason
    rerun = next(a for a in outcome.attempts if a.label == "reference:rerun")
    assert rerun.verdict.passed
    # reference, batch (timed out), rerun alone, the bare controls alone (timed out again)
    assert ops.count("run_verifier") == 4
    assert outcome.control_verdicts["null"].details.get("verifier_status") == "timeout"


def test_a_random_control_that_hits_the_answer_is_void_not_unsound(local_backend: Any) -> None:
    """A well-formed random answer can be the right one (here the schema allows only it); the
    verifier that accepts it is not unsound. The control is void; the others still count."""
    schema = {**SCHEMA, "properties": {"city": {"enum": ["Hangzhou"]}}}
    [outcome] = check_environment_draft(make_draft(answer_schema=schema), backend=local_backend)
    assert outcome.accepted, outcome.reason
    assert "random" in outcome.void_controls
    assert "random" not in outcome.control_verdicts
    assert not any(v.passed for v in outcome.control_verdicts.values())


def test_always_true_verifier_is_rejected_as_unsound(local_backend: Any) -> None:
    draft = make_draft(verifier_source="def verify(answer, db):\n    return True, 'ok'\n")
    [outcome] = check_environment_draft(draft, backend=local_backend)
    assert outcome.rejection is RejectionCategory.verifier_unsound
    assert "empty" in outcome.reason and "perturbed" in outcome.reason


def test_write_task_needs_the_writes(local_backend: Any) -> None:
    [ok] = check_environment_draft(
        make_draft(solution_source=BOOK_SOLVE, verifier_source=BOOK_VERIFY), backend=local_backend
    )
    assert ok.accepted, ok.reason
    assert "no_writes" in ok.control_verdicts
    # a verifier that only checks the answer and not the database is unsound for a write task
    [lax] = check_environment_draft(
        make_draft(solution_source=BOOK_SOLVE, verifier_source=VERIFY), backend=local_backend
    )
    assert lax.rejection is RejectionCategory.verifier_unsound
    assert "no_writes" in lax.reason


def test_wrong_reference_and_crashing_verifier(local_backend: Any) -> None:
    [wrong] = check_environment_draft(make_draft(solution_source=PERTURBED), backend=local_backend)
    assert wrong.rejection is RejectionCategory.solution_failed
    crash = "def verify(answer, db):\n    raise RuntimeError('boom')\n"
    [crashed] = check_environment_draft(make_draft(verifier_source=crash), backend=local_backend)
    assert crashed.rejection is RejectionCategory.verifier_unsound
    bad_shape = "def solve(tools):\n    return {'town': 'Hangzhou'}\n"
    [shape] = check_environment_draft(make_draft(solution_source=bad_shape), backend=local_backend)
    assert shape.rejection is RejectionCategory.solution_failed
    assert "answer schema" in shape.reason


def test_nondeterministic_solution_is_rejected(local_backend: Any) -> None:
    flaky = (
        "import random\n"
        "def solve(tools):\n"
        "    c = tools.list_cities()\n"
        "    return {'city': c[random.randrange(len(c))]['name']}\n"
    )
    # random is not on the allow-list: the static check rejects it first
    [outcome] = check_environment_draft(make_draft(solution_source=flaky), backend=local_backend)
    assert outcome.rejection is RejectionCategory.static_check


DIRECT_DB = """
import sqlite3
def solve(tools):
    conn = sqlite3.connect("state.db")
    row = conn.execute("select name from cities order by population desc").fetchone()
    return {"city": row[0]}
"""
SNEAKY_DB = """
def solve(tools):
    sq = tools.__class__.__init__.__globals__["sqlite3"]
    return {"city": sq.connect("state.db").execute("select 1").fetchone()}
"""


def test_solution_reading_the_database_is_rejected_statically_and_fails_at_run_time(
    local_backend: Any,
) -> None:
    from envfoundry.generators.general.base import SOLUTION_ALLOWED_IMPORTS

    for src in (DIRECT_DB, SNEAKY_DB):
        report = check_solution(src, SOLUTION_ALLOWED_IMPORTS)
        assert not report.ok
        [outcome] = check_environment_draft(make_draft(solution_source=src), backend=local_backend)
        assert outcome.rejection is RejectionCategory.static_check
    # bypass the static check: the runner itself refuses the database at run time
    specs = draft_to_specs(make_draft())
    env = specs.environments[0]
    with loaded_session(local_backend, env, specs.db_bytes) as session:
        session.reset()
        for src in (DIRECT_DB, SNEAKY_DB):
            res = session.run_solution(src, timeout_s=10)
            assert res.reason != "ok" or res.answer is None, res
        # and the task-level check with the static gate removed still rejects it
        task = specs.tasks[0]
        bypass = TaskSpec.model_validate(
            {**task.model_dump(), "reference_solution": DIRECT_DB.replace("import sqlite3\n", "")}
        )
        outcome = check_task(session, env, bypass)
        assert not outcome.accepted


def test_verifier_spec_kind_is_function() -> None:
    specs = draft_to_specs(make_draft())
    assert isinstance(specs.tasks[0].verifier, VerifierSpec)
    assert specs.tasks[0].verifier.kind == "function"
    assert specs.environments[0].state_blob is not None
