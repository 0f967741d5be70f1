"""Attacks on the clinic_appointments verifiers: collateral writes, the earliest slot booked
for another patient, a required write left out, reordered ordered lists; and the
meaning-preserving variant (a wrong appointment undone) that must still pass. See issue #14."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from envfoundry.generators.general.categories.clinic_appointments import CATEGORY
from tests.generators.general._attacks import Episode, check_order_contracts, initial, params


def test_every_answer_list_declares_its_order() -> None:
    check_order_contracts(CATEGORY)


@pytest.fixture(params=[(0, 0), (3, 5)], ids=lambda s: f"seed{s[0]}-{s[1]}")
def where(request: pytest.FixtureRequest) -> tuple[int, int]:
    return request.param  # type: ignore[no-any-return]


def _episode(level: int, seed: int, index: int) -> Iterator[tuple[Episode, dict[str, Any]]]:
    with Episode(CATEGORY, level, seed, index) as ep:
        yield ep, params(ep)


def _patient(db: sqlite3.Connection, name: str) -> sqlite3.Row:
    return db.execute("SELECT * FROM patients WHERE name = ?", (name,)).fetchone()


def _other(db: sqlite3.Connection, *names: str) -> int:
    marks = ", ".join("?" * len(names))
    q = f"SELECT id FROM patients WHERE name NOT IN ({marks}) ORDER BY id"
    return int(db.execute(q, names).fetchone()[0])


def _eligible(db: sqlite3.Connection, where: str, args: tuple[Any, ...]) -> list[Any]:
    """Open slots of doctors matching ``where`` (over d, c, s), earliest first."""
    return db.execute(
        "SELECT s.*, d.clinic_id FROM slots s JOIN doctors d ON d.id = s.doctor_id"
        " JOIN clinics c ON c.id = d.clinic_id WHERE s.status = 'open' AND "
        + where
        + " ORDER BY s.start, s.id",
        args,
    ).fetchall()


ACCEPTS = "EXISTS (SELECT 1 FROM doctor_insurers i WHERE i.doctor_id = d.id AND i.insurer = ?)"


def _book(patient: int, slot: int) -> str:
    return f"tools.book_appointment(patient_id={patient}, slot_id={slot})"


def _collateral(ep: Episode, names: list[str]) -> dict[str, str]:
    """One write of each tool on another patient, as code run after the reference."""
    db = initial(ep)
    other = _other(db, *names)
    slot = db.execute("SELECT id FROM slots WHERE status = 'open' ORDER BY start DESC").fetchone()
    out = {"book_appointment": _book(other, slot[0])}
    if ep.draft.tasks[0].toolset_version >= 2:
        marks = ", ".join("?" * len(names))
        theirs = db.execute(
            "SELECT a.id FROM appointments a JOIN patients p ON p.id = a.patient_id"
            f" WHERE a.status = 'active' AND p.name NOT IN ({marks}) ORDER BY a.id",
            names,
        ).fetchone()
        out["cancel_appointment"] = f"tools.cancel_appointment(appointment_id={theirs[0]})"
    return out


def _check_collateral(ep: Episode, names: list[str]) -> None:
    for tool, code in _collateral(ep, names).items():
        v = ep.run(ep.around_reference(after=code))
        assert v.error is None, (tool, v.error)
        assert not v.passed, tool
        assert "unexpected change" in v.reason, (tool, v.reason)


@pytest.mark.slow
def test_l1_question_accepts_no_write(where: tuple[int, int]) -> None:
    for ep, _ in _episode(1, *where):
        ref = ep.reference()
        assert ref.passed
        _check_collateral(ep, [])
        # the ids are asked for in ascending order: another order fails
        if len(ref.answer["doctor_ids"]) > 1:
            code = "answer = {'doctor_ids': answer['doctor_ids'][::-1]}"
            assert not ep.run(ep.around_reference(after=code)).passed


@pytest.mark.slow
def test_l4_earliest_attacks(where: tuple[int, int]) -> None:
    for ep, p in _episode(4, *where):
        db, me = initial(ep), _patient(initial(ep), p["PATIENT"])
        ref = ep.reference()
        assert ref.passed, ref.reason
        slots = _eligible(db, "d.specialty = ? AND " + ACCEPTS, (p["SPEC"], me["insurer"]))
        # (a) the earliest slot booked for another patient, the next one for the target
        v = ep.run(ep.around_reference(before=_book(_other(db, p["PATIENT"]), slots[0]["id"])))
        assert v.error is None and not v.passed
        _check_collateral(ep, [p["PATIENT"]])  # (b)
        assert not ep.answer_only(ref.answer).passed  # (c)


@pytest.mark.slow
def test_l2_afternoon_attacks(where: tuple[int, int]) -> None:
    for ep, p in _episode(2, *where):
        db = initial(ep)
        me = _patient(db, p["PATIENT"])
        ref = ep.reference()
        assert ref.passed, ref.reason
        busy = {
            r[0]
            for r in db.execute(
                "SELECT s.start FROM appointments a JOIN slots s ON s.id = a.slot_id"
                " WHERE a.patient_id = ? AND a.status = 'active'",
                (me["id"],),
            )
        }
        slots = [
            s
            for s in _eligible(
                db,
                "d.specialty = ? AND c.city = ? AND d.fee <= ? AND " + ACCEPTS,
                (p["SPEC"], me["city"], p["MAX_FEE"], me["insurer"]),
            )
            if s["start"][11:] >= p["AFTER"] and s["start"] not in busy
        ]
        # (a) the earliest eligible slot booked for another patient
        v = ep.run(ep.around_reference(before=_book(_other(db, p["PATIENT"]), slots[0]["id"])))
        assert v.error is None and not v.passed
        _check_collateral(ep, [p["PATIENT"]])  # (b)
        assert not ep.answer_only(ref.answer).passed  # (c)


@pytest.mark.slow
def test_l5_family_attacks(where: tuple[int, int]) -> None:
    for ep, p in _episode(5, *where):
        ref = ep.reference()
        assert ref.passed, ref.reason
        _check_collateral(ep, p["PATIENTS"])  # (b)
        # (c) the third visit left out: two booked, the answer names a third id
        source = (ep.task.reference_solution or "") + (
            "\n\ndef solve(tools):\n"
            "    pats, plans = _plans(tools)\n"
            "    _, chosen = min(plans, key=lambda plan: plan[0])\n"
            "    ids = [_book(tools, p, c[2]) for p, c in zip(pats[:2], chosen[:2])]\n"
            "    return {'appointment_ids': [*ids, ids[-1] + 1]}\n"
        )
        v = ep.run(source)
        assert v.error is None and not v.passed
        # (d) the ordered list reversed or rotated
        for order in ("[::-1]", "[1:] + answer['appointment_ids'][:1]"):
            code = f"answer = {{'appointment_ids': answer['appointment_ids']{order}}}"
            assert not ep.run(ep.around_reference(after=code)).passed, order


@pytest.mark.slow
def test_l3_rebook_attacks(where: tuple[int, int]) -> None:
    for ep, p in _episode(3, *where):
        db = initial(ep)
        me = _patient(db, p["PATIENT"])
        ref = ep.reference()
        assert ref.passed, ref.reason
        old = db.execute(
            "SELECT s.*, d.clinic_id, d.specialty FROM appointments a JOIN slots s"
            " ON s.id = a.slot_id JOIN doctors d ON d.id = s.doctor_id WHERE a.id = ?",
            (p["OLD_ID"],),
        ).fetchone()
        slots = _eligible(
            db,
            "d.specialty = ? AND c.city = ? AND d.id != ? AND substr(s.start, 1, 10) >= ? AND "
            + ACCEPTS,
            (old["specialty"], me["city"], old["doctor_id"], old["start"][:10], me["insurer"]),
        )
        same = [s for s in slots if s["clinic_id"] == old["clinic_id"]] or slots
        other = _other(db, p["PATIENT"])
        # (a) the earliest eligible slot booked for another patient first
        v = ep.run(ep.around_reference(before=_book(other, same[0]["id"])))
        assert v.error is None and not v.passed
        _check_collateral(ep, [p["PATIENT"]])  # (b)
        # (c) cancelled but not rebooked; rebooked without the cancellation
        code = f"tools.cancel_appointment(appointment_id={p['OLD_ID']})"
        v = ep.run(f"def solve(tools):\n    {code}\n    return {{'appointment_id': 1}}\n")
        assert not v.passed
        source = (ep.task.reference_solution or "") + (
            "\n\ndef solve(tools):\n    return _rebook(tools, False)\n"
        )
        assert not ep.run(source).passed
        # (f) a wrong slot booked for the target and cancelled, then the reference
        wrong = _book(me["id"], slots[-1]["id"])
        code = f"a = {wrong}\ntools.cancel_appointment(appointment_id=a['appointment_id'])"
        v = ep.run(ep.around_reference(before=code))
        assert v.passed, v.reason
