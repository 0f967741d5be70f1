"""The shortcut panel on paged tool results: the pages of one listing are one choice point,
and the first-hit and cheapest shortcuts read its first page only (so pagination matters)."""

from __future__ import annotations

from typing import Any

import pytest

from envfoundry.models import TaskSpec, ToolSpec, VerifierSpec
from envfoundry.verifiers.acceptance import Solution
from envfoundry.verifiers.adversary import adversarial_controls, page_of

LIST = ToolSpec(
    name="list_slots",
    description="Slots of one airport, a page at a time.",
    parameters={
        "type": "object",
        "properties": {"airport_id": {"type": "integer"}, "page": {"type": "integer"}},
        "required": ["airport_id"],
    },
)
TASK = TaskSpec(
    env_id="e" * 64,
    family="general",
    category="airport_slots",
    prompt="Which slot of airport 3 has the highest capacity? Give its id.",
    answer_schema={"type": "object"},
    reference_solution="def solve(tools):\n    return None\n",
    verifier=VerifierSpec(kind="function", source="def verify(a, db):\n    return True, ''\n"),
    difficulty=2,
)


def paged(style: str, rows: list[dict[str, Any]], n: int, last: bool) -> dict[str, Any]:
    if style == "page":
        return {"items": rows, "next_page": None if last else n + 1}
    return {"results": rows, "total": 4, "offset": 2 * (n - 1)}


def trajectory(style: str) -> Solution:
    """The reference read two pages and chose slot 9, on the second page."""
    arg = "page" if style == "page" else "offset"
    first = [{"id": 5, "price": 9}, {"id": 7, "price": 1}]
    second = [{"id": 9, "price": 4}, {"id": 2, "price": 0.5}]
    calls = [
        {
            "name": "list_slots",
            "args": {"airport_id": 3, arg: 1 if style == "page" else 0},
            "result": paged(style, first, 1, False),
        },
        {
            "name": "list_slots",
            "args": {"airport_id": 3, arg: 2},
            "result": paged(style, second, 2, True),
        },
    ]
    return Solution(answer={"slot_id": 9}, calls=calls)


@pytest.mark.parametrize("style", ["page", "offset"])
def test_first_hit_and_cheapest_read_the_first_page_only(style: str) -> None:
    controls = {c.label: c for c in adversarial_controls(TASK, trajectory(style), [LIST])}
    # the first listed slot, and the cheapest of the first page (not slot 2 of page two)
    assert controls["shortcut:first_hit"].answer == {"slot_id": 5}
    assert controls["shortcut:cheapest"].answer == {"slot_id": 7}
    assert not controls["shortcut:first_hit"].probe  # the task asks for an optimum


def test_a_page_is_its_one_list_and_other_objects_are_not_pages() -> None:
    assert page_of({"items": [{"id": 1}], "next_page": None}) == [{"id": 1}]
    assert page_of({"results": [], "total": 0, "offset": 0}) == []
    assert page_of([{"id": 1}]) == [{"id": 1}]
    assert page_of({"id": 1, "tags": ["a"]}) is None  # a record, not a page
    assert page_of({"a": [], "b": [], "total": 2}) is None  # which list would it be?


def test_two_listings_are_two_choice_points() -> None:
    """Pages of another airport's listing do not join the first one's."""
    sol = trajectory("page")
    other = dict(sol.calls[1], args={"airport_id": 4, "page": 1})
    sol = Solution(answer=sol.answer, calls=[sol.calls[0], other])
    controls = {c.label: c for c in adversarial_controls(TASK, sol, [LIST])}
    # slot 9 is on airport 4's first page: its first hit is 9 itself; airport 3 was not chosen
    assert "shortcut:first_hit" not in controls
