"""Attacks on the airline_booking verifiers: collateral writes, the best option taken for
someone else, a required write left out, a reversed ordered list; and the meaning-preserving
variants (a wrong write undone) that must still pass. See issue #14."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from envfoundry.generators.general.categories.airline_booking import CATEGORY
from tests.generators.general._attacks import Episode, check_order_contracts, initial, params


def test_every_answer_list_declares_its_order() -> None:
    check_order_contracts(CATEGORY)


SEEDS = [(0, 0), (3, 5)]


def _episode(level: int, seed: int, index: int) -> Iterator[tuple[Episode, dict[str, Any]]]:
    with Episode(CATEGORY, level, seed, index) as ep:
        yield ep, params(ep)


@pytest.fixture(params=SEEDS, ids=lambda s: f"seed{s[0]}-{s[1]}")
def where(request: pytest.FixtureRequest) -> tuple[int, int]:
    return request.param  # type: ignore[no-any-return]


def _pid(db: sqlite3.Connection, name: str) -> int:
    return int(db.execute("SELECT id FROM passengers WHERE name = ?", (name,)).fetchone()[0])


def _others(db: sqlite3.Connection, name: str, flight: int) -> list[int]:
    """Passengers other than ``name`` with no active booking on ``flight``."""
    return [
        r[0]
        for r in db.execute(
            "SELECT id FROM passengers WHERE name != ? AND id NOT IN (SELECT passenger_id FROM"
            " bookings WHERE flight_id = ? AND status = 'active') ORDER BY id",
            (name, flight),
        )
    ]


def _foreign_booking(db: sqlite3.Connection, name: str) -> sqlite3.Row:
    """An active booking of another passenger on a scheduled flight."""
    return db.execute(
        "SELECT b.*, f.origin, f.destination FROM bookings b JOIN flights f ON f.id = b.flight_id"
        " JOIN passengers p ON p.id = b.passenger_id WHERE p.name != ? AND b.status = 'active'"
        " AND f.status = 'scheduled' ORDER BY b.id",
        (name,),
    ).fetchone()


def _open_flight(db: sqlite3.Connection, avoid: int = 0) -> int:
    return int(
        db.execute(
            "SELECT id FROM flights WHERE status = 'scheduled' AND economy_seats_left > 0"
            " AND id != ? ORDER BY id",
            (avoid,),
        ).fetchone()[0]
    )


def _collateral(ep: Episode, name: str) -> dict[str, str]:
    """One write of each tool on another passenger, as code run after the reference."""
    db = initial(ep)
    other = _foreign_booking(db, name)
    other_pid = other["passenger_id"]
    out = {
        "book_flight": f"tools.book_flight(passenger_id={other_pid},"
        f" flight_id={_open_flight(db, other['flight_id'])}, cabin='economy')",
        "cancel_booking": f"tools.cancel_booking(booking_id={other['id']})",
    }
    if ep.draft.tasks[0].toolset_version >= 2:
        # another passenger's booking: neither the target's nor their companion's
        companion = params(ep).get("COMPANION", name)
        row = db.execute(
            "SELECT b.id, f2.id AS to_id FROM bookings b JOIN flights f ON f.id = b.flight_id"
            " JOIN flights f2 ON f2.origin = f.origin AND f2.destination = f.destination"
            " AND f2.id != f.id AND f2.status = 'scheduled' AND f2.economy_seats_left > 0"
            " JOIN passengers p ON p.id = b.passenger_id WHERE p.name NOT IN (?, ?)"
            " AND b.status = 'active' AND b.cabin = 'economy' ORDER BY b.id, f2.id",
            (name, companion),
        ).fetchone()
        out["change_booking"] = (
            f"tools.change_booking(booking_id={row['id']}, new_flight_id={row['to_id']})"
        )
    return out


def _fill(db: sqlite3.Connection, name: str, flight: int, cabin: str) -> str:
    """Code that books every free ``cabin`` seat of ``flight`` for other passengers."""
    seats = db.execute(f"SELECT {cabin}_seats_left FROM flights WHERE id = ?", (flight,))
    n = seats.fetchone()[0]
    pids = _others(db, name, flight)
    assert 0 < n <= len(pids), f"cannot fill flight {flight}: {n} seats, {len(pids)} passengers"
    return "\n".join(
        f"tools.book_flight(passenger_id={p}, flight_id={flight}, cabin='{cabin}')"
        for p in pids[:n]
    )


def _wrong_then_undone(db: sqlite3.Connection, name: str, flight: int, cabin: str) -> str:
    """Code that books the target on ``flight`` and cancels that booking again."""
    return (
        f"b = tools.book_flight(passenger_id={_pid(db, name)}, flight_id={flight},"
        f" cabin='{cabin}')\ntools.cancel_booking(booking_id=b['booking_id'])"
    )


def _route(db: sqlite3.Connection, origin_city: str, dest_city: str, day: str) -> list[Any]:
    return db.execute(
        "SELECT f.* FROM flights f JOIN airports o ON o.iata = f.origin"
        " JOIN airports d ON d.iata = f.destination WHERE o.city = ? AND d.city = ?"
        " AND substr(f.departure, 1, 10) = ? AND f.status = 'scheduled'"
        " ORDER BY f.departure, f.id",
        (origin_city, dest_city, day),
    ).fetchall()


# ------------------------------------------------------------------------------ level 1


@pytest.mark.slow
def test_l1_question_accepts_no_write(where: tuple[int, int]) -> None:
    for ep, _ in _episode(1, *where):
        assert ep.reference().passed
        db = initial(ep)
        anyone = db.execute("SELECT name FROM passengers ORDER BY id").fetchone()["name"]
        for tool, code in _collateral(ep, anyone).items():
            v = ep.run(ep.around_reference(after=code))
            assert not v.passed, tool
            assert "unexpected change" in v.reason, (tool, v.reason)


# ------------------------------------------------------------------------------ level 2


def _l2_best(db: sqlite3.Connection, p: dict[str, Any]) -> list[Any]:
    return [
        f
        for f in _route(db, p["ORIGIN"], p["DEST"], p["DATE"])
        if f["business_fare"] <= p["CAP"] and f["business_seats_left"] > 0
    ]


@pytest.mark.slow
@pytest.mark.parametrize("where", [(0, 0), (4, 0)])  # (4, 0) has a next-best flight
def test_l2_attacks(where: tuple[int, int]) -> None:
    for ep, p in _episode(2, *where):
        db, name = initial(ep), p["NAME"]
        ref = ep.reference()
        assert ref.passed, ref.reason
        best, *rest = _l2_best(db, p)
        if rest:  # (a) the earliest flight's business seats go to others, the next to the target
            v = ep.run(ep.around_reference(before=_fill(db, name, best["id"], "business")))
            assert v.error is None and not v.passed
            assert "unexpected change" in v.reason, v.reason
        # (b) one collateral write of each tool
        for tool, code in _collateral(ep, name).items():
            v = ep.run(ep.around_reference(after=code))
            assert not v.passed, tool
            assert "unexpected change" in v.reason, (tool, v.reason)
        # (c) the answer without the booking
        assert not ep.answer_only(ref.answer).passed
        # (f) a wrong booking undone, then the right one
        wrong = rest[0]["id"] if rest else _open_flight(db, best["id"])
        cabin = "business" if rest else "economy"
        v = ep.run(ep.around_reference(before=_wrong_then_undone(db, name, wrong, cabin)))
        assert v.passed, v.reason


# ------------------------------------------------------------------------------ level 5


@pytest.mark.slow
def test_l5_connection_attacks(where: tuple[int, int]) -> None:
    for ep, p in _episode(5, *where):
        db, name = initial(ep), p["NAME"]
        ref = ep.reference()
        assert ref.passed, ref.reason
        first, second = ref.answer["booking_ids"]
        # (b) collateral writes
        for tool, code in _collateral(ep, name).items():
            v = ep.run(ep.around_reference(after=code))
            assert not v.passed, tool
            assert "unexpected change" in v.reason, (tool, v.reason)
        # (c) the second leg left out (booked, then cancelled), the same answer
        v = ep.run(
            ep.around_reference(after="tools.cancel_booking(booking_id=answer['booking_ids'][1])")
        )
        assert not v.passed
        # (d) the legs in reverse order
        v = ep.run(
            ep.around_reference(after="answer = {'booking_ids': answer['booking_ids'][::-1]}")
        )
        assert not v.passed
        assert [first, second] == ref.answer["booking_ids"]
        # (f) a wrong leg booked for the target and cancelled, then the right ones
        wrong = (
            _route(db, p["ORIGIN"], p["DEST"], p["DATE"])
            or db.execute(
                "SELECT * FROM flights WHERE status = 'scheduled' AND economy_seats_left > 0"
                " AND substr(departure, 1, 10) = ? ORDER BY id",
                (p["DATE"],),
            ).fetchall()
        )
        v = ep.run(
            ep.around_reference(before=_wrong_then_undone(db, name, wrong[0]["id"], "economy"))
        )
        assert v.passed, v.reason


# ------------------------------------------------------------------------------ level 3


def _l3_earliest(db: sqlite3.Connection, p: dict[str, Any]) -> tuple[Any, str]:
    """The earliest qualifying flight before the episode and the cabin the task asks for."""
    old = db.execute(
        "SELECT b.cabin, f.* FROM bookings b JOIN flights f ON f.id = b.flight_id WHERE b.id = ?",
        (p["OLD_ID"],),
    ).fetchone()
    tier = db.execute("SELECT tier FROM passengers WHERE name = ?", (p["NAME"],)).fetchone()[0]
    cabin = "business" if tier == "gold" else old["cabin"]
    best = db.execute(
        f"SELECT * FROM flights WHERE origin = ? AND destination = ? AND status = 'scheduled'"
        f" AND departure > ? AND substr(departure, 1, 10) IN (?, ?) AND {cabin}_seats_left > 0"
        " ORDER BY departure, id",
        (old["origin"], old["destination"], old["departure"], *p["DATES"]),
    ).fetchone()
    return best, cabin


@pytest.mark.slow
def test_l3_rebook_attacks(where: tuple[int, int]) -> None:
    for ep, p in _episode(3, *where):
        db, name = initial(ep), p["NAME"]
        ref = ep.reference()
        assert ref.passed, ref.reason
        best, cabin = _l3_earliest(db, p)
        # (a) the earliest qualifying flight filled with others, the next one for the target
        v = ep.run(ep.around_reference(before=_fill(db, name, best["id"], cabin)))
        assert v.error is None and not v.passed
        assert "unexpected change" in v.reason, v.reason
        # (b) collateral writes
        for tool, code in _collateral(ep, name).items():
            v = ep.run(ep.around_reference(after=code))
            assert not v.passed, tool
            assert "unexpected change" in v.reason, (tool, v.reason)
        # (c) the cancellation left out; the new booking left out
        source = ep.task.reference_solution or ""
        assert not ep.run(
            source + "\n\ndef solve(tools):\n    return _rebook(tools, False)\n"
        ).passed
        v = ep.run(
            ep.around_reference(after="tools.cancel_booking(booking_id=answer['booking_id'])")
        )
        assert not v.passed
        # (f) the target booked on a wrong flight and cancelled, then the reference
        wrong = _open_flight(db, best["id"])
        v = ep.run(ep.around_reference(before=_wrong_then_undone(db, name, wrong, "economy")))
        assert v.passed, v.reason


# ------------------------------------------------------------------------------ level 4


@pytest.mark.slow
def test_l4_round_trip_attacks(where: tuple[int, int]) -> None:
    for ep, p in _episode(4, *where):
        db, name = initial(ep), p["NAME"]
        ref = ep.reference()
        assert ref.passed, ref.reason
        assert ref.answer == {"booking_ids": p["IDS"], "companion_booking_ids": p["COMPANION_IDS"]}
        # (b) collateral writes, change_booking included
        collateral = _collateral(ep, name)
        assert "change_booking" in collateral
        for tool, code in collateral.items():
            v = ep.run(ep.around_reference(after=code))
            assert not v.passed, tool
            assert "unexpected change" in v.reason, (tool, v.reason)
        # (c) a return leg not moved (moved back to its original flight), the traveller's or
        # the companion's
        for bid in (p["IDS"][1], p["COMPANION_IDS"][1]):
            back = db.execute("SELECT flight_id FROM bookings WHERE id = ?", (bid,))
            code = f"tools.change_booking(booking_id={bid}, new_flight_id={back.fetchone()[0]})"
            assert not ep.run(ep.around_reference(after=code)).passed, bid
        # the companion left behind; each traveller on the cheapest flight with one free seat
        source = ep.task.reference_solution or ""
        alone = "\n\ndef solve(tools):\n    return _shift(tools, windows=True, together=False)\n"
        v = ep.run(source + alone)
        assert v.error is None and not v.passed, v.reason
        split = """
def solve(tools):
    out = {}
    for who, key in ((NAME, "booking_ids"), (COMPANION, "companion_booking_ids")):
        ids = []
        for b in _trip(tools, who):
            day = (_t(b["departure"]).date() + datetime.timedelta(days=1)).isoformat()
            flights = tools.search_flights(
                origin=b["origin"], destination=b["destination"], date=day
            )
            ok = [f for f in _open(flights, "economy") if _in_window(f, b["origin"] == HOME, day)]
            best = min(ok, key=lambda f: (f["economy_fare"], f["flight_id"]))
            tools.change_booking(booking_id=b["booking_id"], new_flight_id=best["flight_id"])
            ids.append(b["booking_id"])
        out[key] = ids
    return out
"""
        v = ep.run(source + split)
        assert v.error is None and not v.passed, "each on the cheapest one-seat flight"
        # (d) an ordered list reversed: the return booking first
        for key in ("booking_ids", "companion_booking_ids"):
            v = ep.run(ep.around_reference(after=f"answer[{key!r}] = answer[{key!r}][::-1]"))
            assert not v.passed, key
        # (f) a wrong booking for the target undone, then the reference
        v = ep.run(
            ep.around_reference(before=_wrong_then_undone(db, name, _open_flight(db), "economy"))
        )
        assert v.passed, v.reason
        # a new booking for the target besides the change in place fails (on a flight of
        # another route: the reference's flights are theirs already)
        home = p["HOME"]
        off = db.execute(
            "SELECT id FROM flights WHERE status = 'scheduled' AND economy_seats_left > 0"
            " AND origin != ? AND destination != ? ORDER BY id",
            (home, home),
        ).fetchone()[0]
        code = f"tools.book_flight(passenger_id={_pid(db, name)}, flight_id={off}, cabin='economy')"
        v = ep.run(ep.around_reference(after=code))
        assert v.error is None and not v.passed
