"""Adversarial acceptance on a small hotel environment: each attack kind is derived from the
reference trajectory and rejects a verifier that falls for it; variants reject a verifier that
is too strict; a verifier that judges the state diff is accepted. Local runner and Docker."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from envfoundry.envs.client import RunnerSession
from envfoundry.envs.pool import EnvPayload, RunnerPool
from envfoundry.generators.general.categories._kit import SANDBOX
from envfoundry.models import (
    EnvironmentSpec,
    RejectionCategory,
    TaskSpec,
    ToolSpec,
    VerifierSpec,
)
from envfoundry.verifiers.acceptance import Solution
from envfoundry.verifiers.adversary import (
    LadderContext,
    _owner_args,
    _seen_ids,
    _stem,
    adversarial_controls,
    attack_kind,
    is_id_key,
)
from envfoundry.verifiers.general import GeneralJudge, check_task

HELPERS = (SANDBOX / "helpers.py").read_text()

TOOLS = '''
def list_rooms(db, max_price=None):
    """Free rooms, cheapest first is NOT guaranteed: by id."""
    rows = db.execute("SELECT * FROM rooms WHERE free > 0 ORDER BY id").fetchall()
    return [dict(r) for r in rows if max_price is None or r["price"] <= max_price]

def find_guest(db, name):
    row = db.execute("SELECT * FROM guests WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise ValueError(f"no guest named {name!r}")
    return dict(row)

def book(db, guest_id, room_id):
    room = db.execute("SELECT * FROM rooms WHERE id = ?", (room_id,)).fetchone()
    if db.execute("SELECT 1 FROM guests WHERE id = ?", (guest_id,)).fetchone() is None:
        raise ValueError("no such guest")
    if room is None or room["free"] < 1:
        raise ValueError("room not free")
    cur = db.execute(
        "INSERT INTO bookings (guest_id, room_id, status) VALUES (?, ?, 'active')",
        (guest_id, room_id),
    )
    db.execute("UPDATE rooms SET free = free - 1 WHERE id = ?", (room_id,))
    return {"id": cur.lastrowid, "room_id": room_id}

def cancel_booking(db, booking_id):
    row = db.execute("SELECT * FROM bookings WHERE id = ?", (booking_id,)).fetchone()
    if row is None or row["status"] != "active":
        raise ValueError("no active booking")
    db.execute("UPDATE bookings SET status = 'cancelled' WHERE id = ?", (booking_id,))
    db.execute("UPDATE rooms SET free = free + 1 WHERE id = ?", (row["room_id"],))
    return {"id": booking_id, "status": "cancelled"}
'''

TOOL_SPECS = (
    ToolSpec(
        name="list_rooms",
        description="Free rooms.",
        parameters={"type": "object", "properties": {"max_price": {"type": "integer"}}},
    ),
    ToolSpec(
        name="find_guest",
        description="A guest by name.",
        parameters={
            "type": "object",
            "properties": {"name": {"type": "string"}},
            "required": ["name"],
        },
    ),
    ToolSpec(
        name="book",
        description="Book a room for a guest.",
        parameters={
            "type": "object",
            "properties": {"guest_id": {"type": "integer"}, "room_id": {"type": "integer"}},
            "required": ["guest_id", "room_id"],
        },
        mutates=True,
    ),
    ToolSpec(
        name="cancel_booking",
        description="Cancel a booking.",
        parameters={
            "type": "object",
            "properties": {"booking_id": {"type": "integer"}},
            "required": ["booking_id"],
        },
        mutates=True,
    ),
)

# Book Ada the cheapest free room; answer its booking id.
BOOK_SOLUTION = """
def solve(tools):
    guest = tools.find_guest(name="Ada")
    rooms = tools.list_rooms(max_price=200)
    best = min(rooms, key=lambda r: (r["price"], r["id"]))
    made = tools.book(guest_id=guest["id"], room_id=best["id"])
    return {"booking_id": made["id"]}
"""
BOOK_SCHEMA = {
    "type": "object",
    "properties": {"booking_id": {"type": "integer"}},
    "required": ["booking_id"],
    "additionalProperties": False,
}

# judged on the final state: the cheapest room still free at the end (gameable)
LAX_BOOK = """
def verify(answer, db):
    if not isinstance(answer, dict) or not isinstance(answer.get("booking_id"), int):
        return False, "no booking id"
    b = db.execute(
        "SELECT b.*, r.price FROM bookings b JOIN rooms r ON r.id = b.room_id WHERE b.id = ?"
        " AND b.status = 'active' AND b.guest_id = 1", (answer["booking_id"],)).fetchone()
    if b is None:
        return False, "no active booking of Ada with that id"
    cheapest = min(r["price"] for r in db.execute("SELECT price FROM rooms WHERE free > 0 AND price <= 200")) if db.execute("SELECT 1 FROM rooms WHERE free > 0 AND price <= 200").fetchone() else b["price"]
    return b["price"] <= cheapest, "cheapest"
"""

SOUND_BOOK = (
    HELPERS
    + """

def verify(answer, db, before, changes):
    if not isinstance(answer, dict) or not isinstance(answer.get("booking_id"), int):
        return False, "no booking id"
    problem = _unexpected_change(
        changes,
        ("insert", "bookings", {"guest_id": 1, "status": "active"}),
        ("update", "rooms", {}, {"free"}),
    )
    if problem:
        return False, problem
    if _count_changes(changes, "insert", "bookings") != 1:
        return False, "exactly one booking"
    b = db.execute(
        "SELECT b.*, r.price FROM bookings b JOIN rooms r ON r.id = b.room_id WHERE b.id = ?"
        " AND b.status = 'active' AND b.guest_id = 1", (answer["booking_id"],)).fetchone()
    if b is None:
        return False, "no active booking of Ada with that id"
    cheapest = min(r["price"] for r in before.execute(
        "SELECT price FROM rooms WHERE free > 0 AND price <= 200"))
    if b["price"] != cheapest:
        return False, "not the cheapest room that was free"
    return True, "cheapest free room booked for Ada, nothing else"
"""
)

# Read-only: the rooms under 200, cheapest first (ordered)
LIST_SOLUTION = """
def solve(tools):
    rooms = tools.list_rooms(max_price=200)
    return {"room_ids": [r["id"] for r in sorted(rooms, key=lambda r: (r["price"], r["id"]))]}
"""
SORTED_COMPARE = """
def verify(answer, db):
    want = [r["id"] for r in db.execute(
        "SELECT id FROM rooms WHERE free > 0 AND price <= 200 ORDER BY price, id")]
    got = answer.get("room_ids") if isinstance(answer, dict) else None
    if not isinstance(got, list):
        return False, "no list"
    return sorted(got) == sorted(want) and len(got) == len(want), "the rooms"
"""
POSITIONAL = SORTED_COMPARE.replace("sorted(got) == sorted(want)", "got == want")


def _schema(ordered: bool | None) -> dict[str, Any]:
    items: dict[str, Any] = {"type": "array", "items": {"type": "integer"}}
    if ordered is not None:
        items["x-ordered"] = ordered
    return {"type": "object", "properties": {"room_ids": items}, "required": ["room_ids"]}


def _db(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        CREATE TABLE guests (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE rooms (id INTEGER PRIMARY KEY, price INTEGER NOT NULL, free INTEGER NOT NULL);
        CREATE TABLE bookings (id INTEGER PRIMARY KEY, guest_id INTEGER REFERENCES guests(id),
          room_id INTEGER REFERENCES rooms(id), status TEXT NOT NULL);
        INSERT INTO guests VALUES (1, 'Ada'), (2, 'Bo'), (3, 'Cy');
        INSERT INTO rooms VALUES (1, 180, 1), (2, 120, 1), (3, 90, 1), (4, 150, 2), (5, 300, 1);
        INSERT INTO bookings VALUES (1, 3, 5, 'active');
        """
    )
    conn.commit()
    conn.close()
    return path.read_bytes()


ENV = EnvironmentSpec(
    family="general", category="hotel", name="hotel", tools=TOOL_SPECS, tools_source=TOOLS
)


def _task(solution: str, verifier: str, schema: dict[str, Any], level: int = 2) -> TaskSpec:
    return TaskSpec(
        env_id=ENV.id,
        family="general",
        category="hotel",
        prompt="Book Ada the cheapest free room under 200.",
        answer_schema=schema,
        reference_solution=solution,
        verifier=VerifierSpec(kind="function", source=verifier),
        difficulty=level,
    )


BACKENDS = ["local_backend", pytest.param("docker_backend", marks=pytest.mark.docker)]


@pytest.fixture(params=BACKENDS)
def session(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RunnerSession]:
    backend: Any = request.getfixturevalue(request.param)
    env = EnvPayload(tools_source=TOOLS, db=_db(tmp_path / "h.db"), name="hotel")
    with RunnerPool(backend, size=1) as pool, pool.lease(env) as s:
        yield s


def _kinds(outcome: Any, passed: bool, side: str = "control") -> set[str]:
    return {
        attack_kind(a.label.partition(":")[2])
        for a in outcome.attempts
        if a.label.startswith(side + ":") and a.verdict.passed is passed
    }


def test_a_verifier_judged_on_the_final_state_falls_to_the_greedy_attacks(
    session: RunnerSession,
) -> None:
    out = check_task(session, ENV, _task(BOOK_SOLUTION, LAX_BOOK, BOOK_SCHEMA))
    assert out.rejection is RejectionCategory.verifier_unsound
    fooled = _kinds(out, passed=True)
    # another guest given the cheapest room first, then the next-best for Ada; a booking
    # for another guest on top of the reference; the right answer with nothing booked is
    # caught by the lax verifier (no active booking), so it is not in the list
    assert {"greedy_other", "collateral"} <= fooled, out.reason
    assert "no_writes" not in fooled


def test_a_verifier_of_the_state_diff_resists_every_attack(session: RunnerSession) -> None:
    out = check_task(session, ENV, _task(BOOK_SOLUTION, SOUND_BOOK, BOOK_SCHEMA))
    assert out.accepted, out.reason
    failed = _kinds(out, passed=False)
    assert {"no_writes", "missing_write", "collateral", "greedy_other", "shortcut"} <= failed
    # the undo-redo variant (a booking for someone else, cancelled, then the reference) passes
    assert "undo_redo" in _kinds(out, passed=True, side="variant")
    collateral = [a for a in out.attempts if a.label.startswith("control:collateral")]
    assert any("unexpected change: insert into bookings" in a.verdict.reason for a in collateral)


def test_order_contracts_reversed_and_permuted(session: RunnerSession) -> None:
    # ordered list judged with sorted(): the reversed list passes -> unsound
    lax = check_task(session, ENV, _task(LIST_SOLUTION, SORTED_COMPARE, _schema(True), 1))
    assert lax.rejection is RejectionCategory.verifier_unsound
    assert "reversed" in _kinds(lax, passed=True)
    # an ordered list judged by position: sound
    ok = check_task(session, ENV, _task(LIST_SOLUTION, POSITIONAL, _schema(True), 1))
    assert ok.accepted, ok.reason
    assert {"reversed", "drop", "extra"} <= _kinds(ok, passed=False)
    # an unordered list judged by position: the permuted variant fails -> too strict
    strict = check_task(session, ENV, _task(LIST_SOLUTION, POSITIONAL, _schema(False), 1))
    assert strict.rejection is RejectionCategory.verifier_unsound
    assert "meaning-preserving" in strict.reason and "permuted" in strict.reason
    # an unordered list judged as a set: sound, and the permuted variant passes
    good = check_task(session, ENV, _task(LIST_SOLUTION, SORTED_COMPARE, _schema(False), 1))
    assert good.accepted, good.reason
    assert "permuted" in _kinds(good, passed=True, side="variant")
    # no order contract at all: rejected before anything runs
    bare = check_task(session, ENV, _task(LIST_SOLUTION, SORTED_COMPARE, _schema(None), 1))
    assert bare.rejection is RejectionCategory.invalid_spec
    assert "x-ordered" in bare.reason


def test_a_read_only_verifier_that_ignores_writes_falls_to_collateral(
    session: RunnerSession,
) -> None:
    # a collateral write the environment's earlier tasks made is replayed on a read task
    # (a booking of room 4, which keeps a free bed: the list's answer does not change)
    ladder = LadderContext()
    book = _task(BOOK_SOLUTION, SOUND_BOOK, BOOK_SCHEMA)
    made = [{"name": "book", "args": {"guest_id": 2, "room_id": 4}, "result": {"id": 2}}]
    ladder.remember(book, Solution({"booking_id": 2}, made), {"book", "cancel_booking"})
    lax = check_task(
        session, ENV, _task(LIST_SOLUTION, POSITIONAL, _schema(True), 3), ladder=ladder
    )
    assert lax.rejection is RejectionCategory.verifier_unsound
    assert "collateral" in _kinds(lax, passed=True)
    sound_src = (
        HELPERS
        + "\n\n"
        + POSITIONAL.replace(
            "def verify(answer, db):",
            "def verify(answer, db, before, changes):\n"
            "    if changes:\n"
            "        return False, _unexpected_change(changes)",
        )
    )
    sound = check_task(
        session, ENV, _task(LIST_SOLUTION, sound_src, _schema(True), 3), ladder=ladder
    )
    assert sound.accepted, sound.reason


def test_controls_are_deterministic_and_labelled_by_kind(session: RunnerSession) -> None:
    judge = GeneralJudge(session, ENV)
    task = _task(BOOK_SOLUTION, SOUND_BOOK, BOOK_SCHEMA)
    ref = judge.solve(task)
    a = adversarial_controls(task, ref, ENV.tools)
    b = adversarial_controls(task, judge.solve(task), ENV.tools)
    assert a == b
    kinds = {attack_kind(c.label) for c in a}
    assert {"no_writes", "missing_write", "collateral", "greedy_other", "undo_redo"} <= kinds
    assert all(c.expect_pass == (attack_kind(c.label) in {"undo_redo", "permuted", "key_order"})
               for c in a)  # fmt: skip


ANY_ROOM = SOUND_BOOK.replace(
    """    if b["price"] != cheapest:
        return False, "not the cheapest room that was free"
""",
    """    if b["price"] > 200:
        return False, "over budget"
""",
)


def test_shortcuts_on_a_task_with_several_right_answers_are_probes(
    session: RunnerSession,
) -> None:
    assert ANY_ROOM != SOUND_BOOK
    task = _task(BOOK_SOLUTION, ANY_ROOM, BOOK_SCHEMA).model_copy(
        update={"prompt": "Book Ada any free room priced 200 or less."}
    )
    out = check_task(session, ENV, task)
    assert out.accepted, out.reason  # the first listed room is one more right answer
    probes = [a for a in out.attempts if a.label.startswith("probe:shortcut")]
    assert probes and any(a.verdict.passed for a in probes)
    # the same verifier on a task that asks for the cheapest room is caught by the shortcut
    strict = check_task(session, ENV, _task(BOOK_SOLUTION, ANY_ROOM, BOOK_SCHEMA))
    assert strict.rejection is RejectionCategory.verifier_unsound
    assert "shortcut" in strict.reason


def test_camel_case_arguments_read_as_their_snake_case_spelling() -> None:
    """A dialect may name ``customer_id`` ``customerId`` (catalog categories): still an id of a
    customer, an owner argument, and one key with the ``customer_id`` results show."""
    assert is_id_key("customerId") and is_id_key("attendeeIds") and is_id_key("skuCode")
    assert not is_id_key("minSeatCount") and not is_id_key("vehicleClass")
    assert _stem("customerId") == "customer" and _stem("newFlightId") == "new_flight"
    assert _owner_args({"customerId": 1, "carId": 2}) == ["customerId"]
    calls = [{"name": "get", "args": {"carId": 3}, "result": [{"car_id": 5}, {"carId": 6}]}]
    assert _seen_ids(calls) == {"car_id": [5, 6, 3]}
