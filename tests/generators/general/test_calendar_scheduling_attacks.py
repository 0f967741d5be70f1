"""Attacks on the calendar_scheduling verifiers: collateral writes, the earliest slot's rooms
taken by another meeting first, a required write left out, a reversed ordered list; and the
meaning-preserving variant (a wrong booking cancelled again) that must still pass. Attacks
reuse the reference solution's own helpers (``_people``, ``_busy``, ``_slots``...), which
the rendered reference source defines. See issue #14."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from envfoundry.generators.general.categories.calendar_scheduling import CATEGORY
from tests.generators.general._attacks import Episode, check_order_contracts, initial, params


def test_every_answer_list_declares_its_order() -> None:
    check_order_contracts(CATEGORY)


@pytest.fixture(params=[(0, 0), (3, 5)], ids=lambda s: f"seed{s[0]}-{s[1]}")
def where(request: pytest.FixtureRequest) -> tuple[int, int]:
    return request.param  # type: ignore[no-any-return]


def _episode(level: int, seed: int, index: int) -> Iterator[tuple[Episode, dict[str, Any]]]:
    with Episode(CATEGORY, level, seed, index) as ep:
        yield ep, params(ep)


def _outsider(ep: Episode, names: list[str]) -> int:
    db = initial(ep)
    marks = ", ".join("?" * len(names))
    q = f"SELECT id FROM people WHERE name NOT IN ({marks}) ORDER BY id"
    return int(db.execute(q, names).fetchone()[0])


def _book_other(person: int) -> str:
    """Code booking a 30-minute meeting for ``person`` late on Friday in the first free room."""
    return (
        "for _room in tools.list_rooms():\n"
        "    try:\n"
        f"        tools.book_meeting(title='Side chat', start_utc=_s(4 * 1440 + 22 * 60),"
        f" duration_min=30, attendee_ids=[{person}], room_id=_room['id'])\n"
        "        break\n"
        "    except Exception:\n"
        "        continue\n"
        "else:\n"
        "    raise RuntimeError('no room for the collateral meeting')"
    )


def _block_rooms(
    names: str,
    d: str,
    person: int,
    video: bool,
    lo: str = "0",
    lunch: bool = False,
    book: bool = True,
) -> str:
    """Code that books, for ``person``, every free room fit for ``names`` at their earliest
    common slot (from ``lo``), so the reference must take a later one."""
    return f"""
_ppl = _people(tools, {names})
_busy_of = {{p["id"]: _busy(tools, p["id"]) for p in _ppl}}
_rooms = [r for r in tools.list_rooms() if r["capacity"] >= len(_ppl) and (r["has_video"] or not {video})]
_rb = {{r["id"]: _room_busy(tools, r["id"]) for r in _rooms}}
_t0 = next(
    t for t in _slots(_ppl, _busy_of, {d}, {lo}, 5 * 1440, {lunch})
    if any(not _overlaps(_rb[r["id"]], t, {d}) for r in _rooms)
)
for _r in _rooms if {book} else []:
    if not _overlaps(_rb[_r["id"]], _t0, {d}):
        tools.book_meeting(title="Hold", start_utc=_s(_t0), duration_min={d},
                           attendee_ids=[{person}], room_id=_r["id"])
"""


BIGGEST_ROOM = """

def solve(tools):
    people = _people(tools, NAMES)
    busy = {p["id"]: _busy(tools, p["id"]) for p in people}
    rooms = sorted(
        (r for r in tools.list_rooms() if r["capacity"] >= len(people) and r["has_video"]),
        key=lambda r: (-r["capacity"], r["id"]),
    )
    room_busy = {r["id"]: _room_busy(tools, r["id"]) for r in rooms}
    for t in _slots(people, busy, DURATION):
        free = [r for r in rooms if not _overlaps(room_busy[r["id"]], t, DURATION)]
        if free:
            assert len(free) > 1, "only one room fits"
            m = tools.book_meeting(
                title=TITLE, start_utc=_s(t), duration_min=DURATION,
                attendee_ids=[p["id"] for p in people], room_id=free[0]["id"],
            )
            return {"meeting_id": m["meeting_id"]}
"""


def _check_collateral(ep: Episode, names: list[str], extra: dict[str, str] | None = None) -> None:
    attacks = {"book_meeting": _book_other(_outsider(ep, names)), **(extra or {})}
    for tool, code in attacks.items():
        v = ep.run(ep.around_reference(after=code))
        assert v.error is None, (tool, v.error)
        assert not v.passed, tool
        assert "unexpected change" in v.reason, (tool, v.reason)


@pytest.mark.slow
def test_l1_l2_questions_accept_no_write(where: tuple[int, int]) -> None:
    for level in (1, 2):
        for ep, p in _episode(level, *where):
            assert ep.reference().passed
            _check_collateral(ep, p["NAMES"])


@pytest.mark.slow
def test_l3_attacks(where: tuple[int, int]) -> None:
    for ep, p in _episode(3, *where):
        ref = ep.reference()
        assert ref.passed, ref.reason
        other = _outsider(ep, p["NAMES"])
        # (a) the video rooms of the earliest slot taken by another meeting first (where the
        # reference still finds a later slot: seed (0, 0))
        v = ep.run(ep.around_reference(before=_block_rooms("NAMES", "DURATION", other, True)))
        assert v.error is None or where != (0, 0), v.error
        assert not v.passed, v.reason
        _check_collateral(ep, p["NAMES"])  # (b)
        assert not ep.answer_only(ref.answer).passed  # (c)
        # the right slot in a bigger room than the smallest free one (a first-hit room)
        v = ep.run((ep.task.reference_solution or "") + BIGGEST_ROOM)
        assert v.error is None and not v.passed, v.reason


@pytest.mark.slow
def test_l4_attacks(where: tuple[int, int]) -> None:
    for ep, p in _episode(4, *where):
        ref = ep.reference()
        assert ref.passed, ref.reason
        other = _outsider(ep, p["NAMES1"] + p["NAMES2"])
        # (a) the rooms of the follow-up's earliest slot taken by another meeting first
        code = _block_rooms("NAMES1", "DURATION1", other, False, lunch=True, book=False)
        lo = "(_t1 // 1440 + 1) * 1440"
        code += "\n_t1 = _t0\n" + _block_rooms("NAMES2", "DURATION2", other, False, lo, True)
        v = ep.run(ep.around_reference(before=code))
        assert v.error is None and not v.passed, v.reason
        _check_collateral(ep, p["NAMES1"] + p["NAMES2"])  # (b)
        # (c) the follow-up left out
        source = (ep.task.reference_solution or "") + (
            "\n\ndef solve(tools):\n"
            "    m1 = _book(tools, NAMES1, DURATION1, TITLE1, False, 0, True)\n"
            "    return {'meeting_ids': [m1['meeting_id'], m1['meeting_id'] + 1]}\n"
        )
        v = ep.run(source)
        assert v.error is None and not v.passed
        # (d) the ordered list reversed: the follow-up first
        code = "answer = {'meeting_ids': answer['meeting_ids'][::-1]}"
        assert not ep.run(ep.around_reference(after=code)).passed


@pytest.mark.slow
@pytest.mark.parametrize("where", [(0, 0), (3, 5), (0, 1)])  # (0, 1): a later slot exists
def test_l5_attacks(where: tuple[int, int]) -> None:
    for ep, p in _episode(5, *where):
        db = initial(ep)
        ref = ep.reference()
        assert ref.passed, ref.reason
        old = db.execute("SELECT * FROM meetings WHERE id = ?", (p["OLD_ID"],)).fetchone()
        d = str(
            (int(old["end"][11:13]) * 60 + int(old["end"][14:]))
            - (int(old["start"][11:13]) * 60 + int(old["start"][14:]))
        )
        lo = f"(_t({old['start']!r}) // 1440 + 1) * 1440"
        everyone = p["NAMES"] + p["NAMES2"]
        other = _outsider(ep, everyone)
        # (a) the rooms of the meeting's earliest later slot taken by another meeting first
        v = ep.run(ep.around_reference(before=_block_rooms("NAMES", d, other, False, lo)))
        assert v.error is None or where != (0, 1), v.error
        assert not v.passed, v.reason
        # (b) collateral: a meeting for someone else, and another meeting cancelled
        extra = {}
        theirs = db.execute(
            "SELECT id FROM meetings WHERE status = 'active' AND id NOT IN (?, ?) ORDER BY id",
            (p["OLD_ID"], p["OLD_ID2"]),
        ).fetchone()
        if theirs is not None:
            extra["cancel_meeting"] = f"tools.cancel_meeting(meeting_id={theirs[0]})"
        _check_collateral(ep, everyone, extra)
        # (c) cancelled without new meetings; new meetings without cancelling the follow-up
        code = "; ".join(f"tools.cancel_meeting(meeting_id={p[k]})" for k in ("OLD_ID", "OLD_ID2"))
        ids = [p["OLD_ID"], p["OLD_ID2"]]
        v = ep.run(f"def solve(tools):\n    {code}\n    return {{'meeting_ids': {ids}}}\n")
        assert not v.passed
        source = (ep.task.reference_solution or "") + (
            "\n\ndef solve(tools):\n    return _move(tools, False)\n"
        )
        assert not ep.run(source).passed
        # (d) the ordered list reversed: the follow-up first
        code = "answer = {'meeting_ids': answer['meeting_ids'][::-1]}"
        assert not ep.run(ep.around_reference(after=code)).passed
        # (e) the follow-up booked on the moved meeting's day (its dependency ignored)
        source = (ep.task.reference_solution or "") + (
            "\n\ndef solve(tools):\n"
            "    me = _people(tools, NAMES)[0]\n"
            "    mine = tools.list_meetings(person_id=me['id'])\n"
            "    old = next(m for m in mine if m['title'] == TITLE)\n"
            "    old2 = next(m for m in mine if m['title'] == TITLE2)\n"
            "    for x in (old, old2):\n"
            "        tools.cancel_meeting(meeting_id=x['meeting_id'])\n"
            "    lo = (_t(old['start']) // 1440 + 1) * 1440\n"
            "    m = _book(tools, NAMES, 60, TITLE, False, lo)\n"
            "    m2 = _book(tools, NAMES2, 30, TITLE2, False, lo)\n"
            "    return {'meeting_ids': [m['meeting_id'], m2['meeting_id']]}\n"
        )
        v = ep.run(source)
        assert v.error is None and not v.passed, v.reason
        # (f) a wrong booking (late in the week) cancelled again, then the reference
        code = (
            "_w = _book(tools, NAMES, 30, TITLE, False, 4 * 1440)\n"
            "tools.cancel_meeting(meeting_id=_w['meeting_id'])"
        )
        v = ep.run(ep.around_reference(before=code))
        assert v.passed, (v.reason, v.error)
