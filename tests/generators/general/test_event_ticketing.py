"""Tests of the event_ticketing procedural category (config, determinism, sandbox semantics)."""

from __future__ import annotations

import pytest

from envfoundry.generators.general.categories.event_ticketing import CATEGORY
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
    check_always_true_is_unsound(CATEGORY, level=5)
