"""Tests of the car_rental procedural category (config, determinism, sandbox semantics)."""

from __future__ import annotations

import pytest

from envfoundry.config import load_settings
from envfoundry.envs.backends import get_backend
from envfoundry.generators.general.categories.car_rental import CATEGORY
from envfoundry.generators.general.specs import draft_to_specs
from tests.generators.general._catalog_checks import (
    check_always_true_is_unsound,
    check_bad_config,
    check_determinism,
    check_semantics,
    check_structure,
)


def test_bad_config_is_rejected() -> None:
    check_bad_config(CATEGORY)


def test_same_seed_same_draft_and_seeds_differ() -> None:
    check_determinism(CATEGORY)


def test_draft_is_well_formed() -> None:
    check_structure(CATEGORY, writes=True)


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), [(0, 0), (11, 7)])
def test_reference_passes_and_controls_fail(seed: int, index: int) -> None:
    check_semantics(CATEGORY, seed, index)


@pytest.mark.slow
def test_always_true_verifier_is_rejected() -> None:
    check_always_true_is_unsound(CATEGORY, level=3)


@pytest.mark.slow
def test_the_perturbed_cheapest_car_is_never_a_right_answer() -> None:
    """Levels 1 and 2 ask for the cheapest qualifying car; their perturbed solution once
    picked another branch's or another transmission's cheapest, which was also the right
    car in about one environment in 25 (acceptance then rejects the task as
    verifier_unsound). Over 200 environments, in the sandbox, the perturbed answer always
    fails the verifier, and level 1's names another car than the reference's."""
    backend = get_backend(load_settings(sandbox_backend="local"))
    session = backend.start_runner(purpose="verify")
    wrong = []
    try:
        for index in range(200):
            specs = draft_to_specs(CATEGORY.build(0, index, levels=[1, 2]))
            (env,) = [e for e in specs.environments if e.id == specs.tasks[0].env_id]
            assert {t.env_id for t in specs.tasks} == {env.id}  # both levels use toolset v1
            session.load_env(env.tools_source or "", specs.db_bytes, name=env.name)
            for task in specs.tasks:
                verifier = task.verifier.source or ""
                ref, ok = session.run_checked(task.reference_solution or "", verifier)
                assert ok.passed, f"{index} L{task.difficulty}: {ok.reason}"
                perturbed = task.verifier.config["perturbed_solution"]
                sol, verdict = session.run_checked(perturbed, verifier)
                assert sol.answer is not None, f"{index} L{task.difficulty}: {sol.error}"
                same = task.difficulty == 1 and sol.answer == ref.answer
                if verdict.passed or same:
                    wrong.append((index, task.difficulty, sol.answer, ref.answer))
    finally:
        session.close()
        backend.close()
    assert wrong == [], f"perturbed answers that are right (index, level, answer, ref): {wrong}"
