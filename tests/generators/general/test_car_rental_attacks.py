"""Attacks on the car_rental verifiers: collateral writes, the preferred car taken for someone
else, a required write left out, a reversed ordered list; and the meaning-preserving variants
(a wrong reservation undone) that must still pass. See issue #14."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from envfoundry.generators.general.categories.car_rental import CATEGORY
from tests.generators.general._attacks import Episode, check_order_contracts, initial, params


def test_every_answer_list_declares_its_order() -> None:
    check_order_contracts(CATEGORY)


@pytest.fixture(params=[(0, 0), (3, 5)], ids=lambda s: f"seed{s[0]}-{s[1]}")
def where(request: pytest.FixtureRequest) -> tuple[int, int]:
    return request.param  # type: ignore[no-any-return]


def _episode(level: int, seed: int, index: int) -> Iterator[tuple[Episode, dict[str, Any]]]:
    with Episode(CATEGORY, level, seed, index) as ep:
        yield ep, params(ep)


def _cid(db: sqlite3.Connection, name: str) -> int:
    return int(db.execute("SELECT id FROM customers WHERE name = ?", (name,)).fetchone()[0])


def _other(db: sqlite3.Connection, name: str) -> int:
    """An adult customer other than ``name``."""
    row = db.execute(
        "SELECT id FROM customers WHERE name != ? AND age >= 25 ORDER BY id", (name,)
    ).fetchone()
    return int(row[0])


def _dates(p: dict[str, Any]) -> tuple[str, str]:
    if "START" in p:
        return p["START"], p["END"]
    if "LEGS" in p:
        return p["LEGS"][0][1], p["LEGS"][0][2]
    return p["OLD_ENDS"][0], p["NEW_ENDS"][0]


def _reserve_any(customer: int, start: str, end: str, not_car: str = "-1") -> str:
    """Code that reserves the first car it can (not ``not_car``) for ``customer``."""
    return (
        f"for car in range(1, 200):\n"
        f"    if car == {not_car}:\n"
        f"        continue\n"
        f"    try:\n"
        f"        tools.create_reservation(customer_id={customer}, car_id=car,"
        f" start_date={start!r}, end_date={end!r})\n"
        f"        break\n"
        f"    except Exception:\n"
        f"        continue"
    )


def _collateral(ep: Episode, name: str, p: dict[str, Any]) -> dict[str, str]:
    """One write of each tool on another customer, as code run after the reference."""
    db = initial(ep)
    start, end = _dates(p)
    theirs = db.execute(
        "SELECT r.id FROM reservations r JOIN customers c ON c.id = r.customer_id"
        " WHERE c.name != ? AND r.status = 'active' ORDER BY r.id",
        (name,),
    ).fetchone()[0]
    out = {
        "create_reservation": _reserve_any(_other(db, name), start, end),
        "cancel_reservation": f"tools.cancel_reservation(reservation_id={theirs})",
    }
    if ep.draft.tasks[0].toolset_version >= 2:
        # a reservation of another customer whose car is free for one more day
        for r in db.execute(
            "SELECT r.* FROM reservations r JOIN customers c ON c.id = r.customer_id"
            " WHERE c.name != ? AND r.status = 'active' ORDER BY r.id",
            (name,),
        ):
            clash = db.execute(
                "SELECT 1 FROM reservations WHERE car_id = ? AND id != ? AND status = 'active'"
                " AND start_date <= date(?, '+1 day') AND end_date > ?",
                (r["car_id"], r["id"], r["end_date"], r["end_date"]),
            ).fetchone()
            if clash is None:
                out["extend_reservation"] = (
                    f"tools.extend_reservation(reservation_id={r['id']},"
                    f" new_end_date=__import__('datetime').date.fromisoformat("
                    f"{r['end_date']!r}).fromordinal(__import__('datetime').date.fromisoformat("
                    f"{r['end_date']!r}).toordinal() + 1).isoformat())"
                )
                break
        assert "extend_reservation" in out
    return out


def _check_collateral(ep: Episode, p: dict[str, Any]) -> None:
    for tool, code in _collateral(ep, p["NAME"], p).items():
        v = ep.run(ep.around_reference(after=code))
        assert v.error is None, (tool, v.error)
        assert not v.passed, tool
        assert "unexpected change" in v.reason, (tool, v.reason)


def _undone(db: sqlite3.Connection, p: dict[str, Any]) -> str:
    """Code that reserves a car for the target and cancels it again."""
    start, end = _dates(p)
    return (
        _reserve_any(_cid(db, p["NAME"]), start, end).replace(
            "        break",
            "        tools.cancel_reservation(reservation_id=r['id'])\n        break",
        )
    ).replace("        tools.create_reservation(", "        r = tools.create_reservation(")


def _take_first(db: sqlite3.Connection, name: str, cars: list[Any], start: str, end: str) -> str:
    """Code that reserves the best of ``cars`` for another customer."""
    return (
        f"tools.create_reservation(customer_id={_other(db, name)}, car_id={cars[0]['id']},"
        f" start_date={start!r}, end_date={end!r})"
    )


def _free_cars(db: sqlite3.Connection, where: str, args: tuple[Any, ...], s: str, e: str) -> list:
    return db.execute(
        "SELECT c.* FROM cars c WHERE " + where + " AND NOT EXISTS (SELECT 1 FROM reservations r"
        " WHERE r.car_id = c.id AND r.status = 'active' AND r.start_date < ? AND ? < r.end_date)"
        " ORDER BY c.daily_rate, c.id",
        (*args, e, s),
    ).fetchall()


@pytest.mark.slow
def test_l1_question_accepts_no_write(where: tuple[int, int]) -> None:
    for ep, p in _episode(1, *where):
        assert ep.reference().passed
        db = initial(ep)
        anyone = db.execute("SELECT name FROM customers ORDER BY id").fetchone()[0]
        for tool, code in _collateral(ep, anyone, p).items():
            v = ep.run(ep.around_reference(after=code))
            assert v.error is None and not v.passed, tool
            assert "unexpected change" in v.reason, (tool, v.reason)


@pytest.mark.slow
@pytest.mark.parametrize("where", [(0, 0), (3, 5)])  # (3, 5) has three free automatic SUVs
def test_l2_attacks(where: tuple[int, int]) -> None:
    for ep, p in _episode(2, *where):
        db = initial(ep)
        ref = ep.reference()
        assert ref.passed, ref.reason
        suvs = _free_cars(
            db,
            "c.branch_id IN (SELECT id FROM branches WHERE city = ?)"
            " AND c.car_class = 'suv' AND c.transmission = 'automatic'",
            (p["CITY"],),
            p["START"],
            p["END"],
        )
        if len(suvs) >= 2:  # (a) the cheapest SUV reserved for another, the next for the target
            v = ep.run(ep.around_reference(before=_take_first(db, p["NAME"], suvs, *_dates(p))))
            assert v.error is None and not v.passed
        _check_collateral(ep, p)  # (b)
        assert not ep.answer_only(ref.answer).passed  # (c)
        v = ep.run(ep.around_reference(before=_undone(db, p)))  # (f)
        assert v.passed, v.reason


@pytest.mark.slow
def test_l3_attacks(where: tuple[int, int]) -> None:
    for ep, p in _episode(3, *where):
        db = initial(ep)
        ref = ep.reference()
        assert ref.passed, ref.reason
        young = db.execute("SELECT age FROM customers WHERE name = ?", (p["NAME"],)).fetchone()
        had = {
            r[0]
            for r in db.execute(
                "SELECT c.model FROM reservations r JOIN cars c ON c.id = r.car_id"
                " JOIN customers u ON u.id = r.customer_id"
                " WHERE u.name = ? AND r.status != 'cancelled'",
                (p["NAME"],),
            )
        }
        assert had, "the customer's history holds a model"
        cars = [
            c
            for c in _free_cars(
                db,
                "c.branch_id IN (SELECT id FROM branches WHERE city = ?) AND c.seats >= ?",
                (p["CITY"], p["SEATS"]),
                *_dates(p),
            )
            if not (young[0] < 25 and c["car_class"] in ("premium", "luxury"))
            and c["model"] not in had
        ]
        # the history can rule out the only electric model: then hybrids are preferred
        preferred = next(
            pool
            for fuel in ("electric", "hybrid", None)
            if (pool := [c for c in cars if fuel in (None, c["fuel"])])
        )
        # (a) the preferred car reserved for another customer, the next one for the target
        v = ep.run(ep.around_reference(before=_take_first(db, p["NAME"], preferred, *_dates(p))))
        assert v.error is None and not v.passed
        _check_collateral(ep, p)  # (b)
        assert not ep.answer_only(ref.answer).passed  # (c)
        v = ep.run(ep.around_reference(before=_undone(db, p)))  # (f)
        assert v.passed, v.reason
        # (g) the history ignored: the cheapest car of the preferred fuel, a model had before
        source = (ep.task.reference_solution or "").replace(
            'had = {r["model"] for r in rented if r["status"] != "cancelled"}',
            "had = set()",
        )
        assert source != ep.task.reference_solution
        v = ep.run(source)
        assert v.error is None and not v.passed, v.reason


@pytest.mark.slow
def test_l4_attacks(where: tuple[int, int]) -> None:
    for ep, p in _episode(4, *where):
        db = initial(ep)
        ref = ep.reference()
        assert ref.passed, ref.reason
        _check_collateral(ep, p)  # (b)
        # (c) the second reservation left out (made, then cancelled)
        code = "tools.cancel_reservation(reservation_id=answer['reservation_ids'][1])"
        assert not ep.run(ep.around_reference(after=code)).passed
        # (d) the ordered list reversed
        code = "answer = {'reservation_ids': answer['reservation_ids'][::-1]}"
        assert not ep.run(ep.around_reference(after=code)).passed
        v = ep.run(ep.around_reference(before=_undone(db, p)))  # (f)
        assert v.passed, v.reason


@pytest.mark.slow
def test_l5_attacks(where: tuple[int, int]) -> None:
    for ep, p in _episode(5, *where):
        db = initial(ep)
        ref = ep.reference()
        assert ref.passed, ref.reason
        olds = [
            db.execute("SELECT * FROM reservations WHERE id = ?", (i,)).fetchone()
            for i in p["OLD_IDS"]
        ]
        taken = [
            db.execute(
                "SELECT 1 FROM reservations WHERE car_id = ? AND id != ? AND status = 'active'"
                " AND start_date < ? AND ? < end_date",
                (old["car_id"], old["id"], new_end, old["end_date"]),
            ).fetchone()
            is not None
            for old, new_end in zip(olds, p["NEW_ENDS"], strict=True)
        ]
        assert any(taken), "at least one car is taken in its extension period"
        answer = ref.answer["reservation_ids"]
        assert [a == o["id"] for a, o in zip(answer, olds, strict=True)] == [not t for t in taken]
        for old, new_end, busy in zip(olds, p["NEW_ENDS"], taken, strict=True):
            car = db.execute("SELECT * FROM cars WHERE id = ?", (old["car_id"],)).fetchone()
            if not busy:
                # (a) the free car reserved for someone else in the extension period first
                code = (
                    f"tools.create_reservation(customer_id={_other(db, p['NAME'])},"
                    f" car_id={old['car_id']}, start_date={old['end_date']!r},"
                    f" end_date={new_end!r})"
                )
                v = ep.run(ep.around_reference(before=code))
                assert v.error is None and not v.passed, v.reason
                continue
            same = _free_cars(
                db,
                "c.branch_id = ? AND c.car_class = ? AND c.id != ?",
                (car["branch_id"], car["car_class"], car["id"]),
                old["start_date"],
                new_end,
            )
            if len(same) >= 2:  # (a) the cheapest of the class taken for someone else
                code = _take_first(db, p["NAME"], same, old["start_date"], new_end)
                v = ep.run(ep.around_reference(before=code))
                assert v.error is None and not v.passed, v.reason
            # (c) a taken rental cancelled without a new reservation
            code = f"tools.cancel_reservation(reservation_id={old['id']})"
            ids = [o["id"] for o in olds]
            v = ep.run(f"def solve(tools):\n    {code}\n    return {{'reservation_ids': {ids}}}\n")
            assert not v.passed
            # (f) a wrong car reserved for the target and cancelled, then the reference
            start = old["start_date"]
            v = ep.run(
                ep.around_reference(before=_undone(db, {**p, "START": start, "END": new_end}))
            )
            assert v.passed, v.reason
        # (d) the ordered list reversed
        code = "answer = {'reservation_ids': answer['reservation_ids'][::-1]}"
        assert not ep.run(ep.around_reference(after=code)).passed
        _check_collateral(ep, p)  # (b)
