"""Attacks on the trip_planning verifier (issue #14): the days are an ordered list (day 1
first), so a reversed itinerary fails, renumbered or not; key order inside a day does not
matter; and the task only reads, so any change to the database fails."""

from __future__ import annotations

from typing import Any

import pytest

from envfoundry.generators.general.categories.trip_planning import CATEGORY
from tests.generators.general._attacks import Episode
from tests.generators.general._write_attacks import initial

SEEDS = [(0, 0), (11, 7)]


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), SEEDS)
@pytest.mark.parametrize("level", [2, 3, 4, 5])
def test_days_in_order(level: int, seed: int, index: int) -> None:
    with Episode(CATEGORY, level, seed, index) as ep:
        ref = ep.reference()
        assert ref.passed, ref.reason
        days: list[dict[str, Any]] = ref.answer["days"]
        assert ep.answer_only({"days": days}).passed
        reversed_days = days[::-1]
        assert not ep.answer_only({"days": reversed_days}).passed
        renumbered = [{**d, "day": i + 1} for i, d in enumerate(reversed_days)]
        assert not ep.answer_only({"days": renumbered}).passed
        keys_reordered = [dict(reversed(list(d.items()))) for d in days]
        assert ep.answer_only({"days": keys_reordered}).passed


@pytest.mark.parametrize("level", [1, 4])
def test_any_change_fails(level: int) -> None:
    """No tool writes here, so the diff is handed to the verifier directly: a plan that is
    right on the initial state fails once anything changed."""
    ep = Episode(CATEGORY, level, 0, 0)
    with ep:
        answer = ep.reference().answer
    ns: dict[str, Any] = {}
    exec(compile(ep.task.verifier.source or "", "<verifier>", "exec"), ns)
    db = initial(ep)
    assert ns["verify"](answer, db, db, [])[0]
    hotel = dict(db.execute("SELECT * FROM hotels LIMIT 1").fetchone())
    change = {"op": "update", "table": "hotels", "key": {"id": hotel["id"]},
              "set": {"price_per_night": [hotel["price_per_night"], 1]}}  # fmt: skip
    ok, reason = ns["verify"](answer, db, db, [change])
    assert not ok and reason.startswith("unexpected change: update hotels")
