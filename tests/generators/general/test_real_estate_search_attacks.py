"""Attacks on the real_estate_search verifiers: the best listing held for another client
first, collateral holds, a hold left out, the clients' order reversed, questions answered
after a write; and the variants that must pass (a set in any order)."""

from __future__ import annotations

import pytest

from envfoundry.generators.general.categories.real_estate_search import CATEGORY
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


def _targets(e: Episode) -> set[str]:
    level = e.task.difficulty
    if level in (4, 5):
        return set(param(e, "CLIENTS"))
    return {param(e, "CLIENT")} if level == 3 else set()


def _other_client(e: Episode) -> int:
    names = _targets(e)
    return next(r["id"] for r in rows(e, "SELECT id, name FROM clients") if r["name"] not in names)


def _hold_other(e: Episode) -> str:
    who = _other_client(e)
    free = rows(e, "SELECT id FROM listings WHERE status = 'available' ORDER BY id DESC")
    return first_that_works(
        [f"tools.place_hold(listing_id={r['id']}, client_id={who})" for r in free]
    )


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), CASES)
@pytest.mark.parametrize("level", [1, 2])
def test_questions_fail_after_any_write(level: int, seed: int, index: int) -> None:
    with Episode(CATEGORY, level, seed, index) as e:
        ref = e.reference()
        assert ref.passed, ref.reason
        bad = e.run(e.around_reference(after=_hold_other(e)))
        assert not bad.passed and bad.reason.startswith("unexpected change"), bad.reason
        if level == 1:
            ids = ref.answer["listing_ids"]
            assert len(ids) >= 2
            assert e.answer_only({"listing_ids": ids[::-1]}).passed
            assert not e.answer_only({"listing_ids": ids + ids[:1]}).passed


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), CASES)
@pytest.mark.parametrize("level", [3])
def test_best_listing_held(level: int, seed: int, index: int) -> None:
    with Episode(CATEGORY, level, seed, index) as e:
        ref = e.reference()
        assert ref.passed, ref.reason
        # the best listing held for another client first; the next best for the target
        best = ref.answer["listing_id"]
        greedy = e.run(
            e.around_reference(
                before=f"tools.place_hold(listing_id={best}, client_id={_other_client(e)})"
            )
        )
        assert greedy.answer is not None and greedy.answer != ref.answer, greedy.error
        assert not greedy.passed, greedy.reason
        bad = e.run(e.around_reference(after=_hold_other(e)))
        assert not bad.passed and "unexpected change" in bad.reason, bad.reason
        assert not e.answer_only(ref.answer).passed  # the hold left out


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), CASES)
def test_three_holds_in_client_order(seed: int, index: int) -> None:
    with Episode(CATEGORY, 4, seed, index) as e:
        ref = e.reference()
        assert ref.passed, ref.reason
        reversed_ = e.run(e.around_reference(after="answer['listing_ids'].reverse()"))
        assert not reversed_.passed
        bad = e.run(e.around_reference(after=_hold_other(e)))
        assert not bad.passed and "unexpected change" in bad.reason, bad.reason
        assert not e.run(skipping(e, "place_hold", 2)).passed


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), CASES)
def test_shortest_commutes_held_in_client_order(seed: int, index: int) -> None:
    with Episode(CATEGORY, 5, seed, index) as e:
        ref = e.reference()
        assert ref.passed, ref.reason
        # each client's best listing held for someone else first; the next best for them
        for best in ref.answer["listing_ids"]:
            greedy = e.run(
                e.around_reference(
                    before=f"tools.place_hold(listing_id={best}, client_id={_other_client(e)})"
                )
            )
            assert greedy.answer is not None and greedy.answer != ref.answer, greedy.error
            assert not greedy.passed, greedy.reason
        assert not e.run(e.around_reference(after="answer['listing_ids'].reverse()")).passed
        bad = e.run(e.around_reference(after=_hold_other(e)))
        assert not bad.passed and "unexpected change" in bad.reason, bad.reason
        assert not e.run(skipping(e, "place_hold", 3)).passed
        assert not e.answer_only(ref.answer).passed  # the holds left out
