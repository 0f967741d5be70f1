"""The runner's state diff: net changes independent of surrogate ids and undone writes, and
verifiers that judge it (``verify(answer, db, before, changes)``), locally and in Docker."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from envfoundry.envs.client import RunnerSession
from envfoundry.envs.pool import EnvPayload, RunnerPool

TOOLS = """
def book(db, guest_id, room_id):
    cur = db.execute(
        "INSERT INTO bookings (guest_id, room_id, status) VALUES (?, ?, 'active')",
        (guest_id, room_id),
    )
    db.execute("UPDATE rooms SET free = free - 1 WHERE id = ?", (room_id,))
    return {"id": cur.lastrowid}

def add_note(db, booking_id, text):
    db.execute("INSERT INTO notes (booking_id, text) VALUES (?, ?)", (booking_id, text))
    return {"ok": True}

def cancel(db, booking_id):
    row = db.execute("SELECT room_id FROM bookings WHERE id = ?", (booking_id,)).fetchone()
    db.execute("UPDATE bookings SET status = 'cancelled' WHERE id = ?", (booking_id,))
    db.execute("UPDATE rooms SET free = free + 1 WHERE id = ?", (row["room_id"],))
    return {"ok": True}

def rename(db, guest_id, name):
    db.execute("UPDATE guests SET name = ? WHERE id = ?", (name, guest_id))
    return {"ok": True}

def forget(db, guest_id):
    db.execute("DELETE FROM guests WHERE id = ?", (guest_id,))
    return {"ok": True}
"""

DIFF_VERIFIER = """
def verify(answer, db, before, changes):
    n = before.execute("SELECT count(*) FROM bookings").fetchone()[0]
    return True, repr((n, changes))
"""


def _db(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    conn.executescript(
        """
        CREATE TABLE guests (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE rooms (id INTEGER PRIMARY KEY, free INTEGER NOT NULL);
        CREATE TABLE bookings (id INTEGER PRIMARY KEY, guest_id INTEGER REFERENCES guests(id),
          room_id INTEGER REFERENCES rooms(id), status TEXT NOT NULL);
        CREATE TABLE notes (booking_id INTEGER REFERENCES bookings(id), text TEXT);
        INSERT INTO guests VALUES (1, 'Ada'), (2, 'Bo');
        INSERT INTO rooms VALUES (10, 2), (11, 1);
        INSERT INTO bookings VALUES (1, 2, 11, 'active');
        """
    )
    conn.commit()
    conn.close()
    return path.read_bytes()


BACKENDS = ["local_backend", pytest.param("docker_backend", marks=pytest.mark.docker)]


@pytest.fixture(params=BACKENDS)
def runner(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RunnerSession]:
    backend: Any = request.getfixturevalue(request.param)
    env = EnvPayload(tools_source=TOOLS, db=_db(tmp_path / "h.db"), name="hotel")
    with RunnerPool(backend, size=1) as pool, pool.lease(env) as session:
        yield session


def _diff_after(runner: RunnerSession, calls: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    runner.reset()
    for name, args in calls:
        res = runner.call_tool(name, args)
        assert res.error is None, res.error
    return runner.state_diff()


def test_no_writes_no_changes(runner: RunnerSession) -> None:
    runner.reset()
    assert runner.state_diff() == []


def test_changes_name_rows_and_hide_surrogate_ids(runner: RunnerSession) -> None:
    diff = _diff_after(
        runner,
        [
            ("book", {"guest_id": 1, "room_id": 10}),
            ("rename", {"guest_id": 2, "name": "Bea"}),
            ("forget", {"guest_id": 2}),
        ],
    )
    assert {
        "op": "insert",
        "table": "bookings",
        "row": {"guest_id": 1, "room_id": 10, "status": "active"},
    } in diff
    assert {"op": "update", "table": "rooms", "key": {"id": 10}, "set": {"free": [2, 1]}} in diff
    # the renamed guest was deleted afterwards: only the delete remains
    assert {"op": "delete", "table": "guests", "key": {"id": 2}} in diff
    assert len(diff) == 3


def test_undone_write_then_the_right_one_equals_the_right_one(runner: RunnerSession) -> None:
    right = _diff_after(runner, [("book", {"guest_id": 1, "room_id": 10})])
    wrong_then_right = _diff_after(
        runner,
        [
            ("book", {"guest_id": 1, "room_id": 11}),
            ("add_note", {"booking_id": 2, "text": "oops"}),
            ("cancel", {"booking_id": 2}),
            ("book", {"guest_id": 1, "room_id": 10}),
        ],
    )
    assert wrong_then_right == right  # another surrogate id, same net change


def test_children_of_new_rows_compare_by_content(runner: RunnerSession) -> None:
    a = _diff_after(
        runner,
        [("book", {"guest_id": 1, "room_id": 10}), ("add_note", {"booking_id": 2, "text": "late"})],
    )
    b = _diff_after(
        runner,
        [
            ("book", {"guest_id": 2, "room_id": 10}),
            ("cancel", {"booking_id": 2}),
            ("book", {"guest_id": 1, "room_id": 10}),
            ("add_note", {"booking_id": 3, "text": "late"}),
        ],
    )
    assert a == b
    note = next(c for c in a if c["table"] == "notes")
    assert str(note["row"]["booking_id"]).startswith("new bookings ")
    other = _diff_after(
        runner,
        [("book", {"guest_id": 2, "room_id": 10}), ("add_note", {"booking_id": 2, "text": "late"})],
    )
    assert other != a


def test_cancelling_an_existing_row_is_a_change(runner: RunnerSession) -> None:
    diff = _diff_after(runner, [("cancel", {"booking_id": 1})])
    assert {
        "op": "update",
        "table": "bookings",
        "key": {"id": 1},
        "set": {"status": ["active", "cancelled"]},
    } in diff


def test_a_four_argument_verifier_gets_the_initial_state_and_the_changes(
    runner: RunnerSession,
) -> None:
    runner.reset()
    assert runner.call_tool("book", {"guest_id": 1, "room_id": 10}).error is None
    res = runner.run_verifier(DIFF_VERIFIER, None)
    assert res.status == "ok", res.error
    count, changes = eval(res.reason)  # the verifier's own repr of what it got
    assert count == 1  # before the booking
    assert changes == runner.state_diff()
    many = runner.run_verifier_many(DIFF_VERIFIER, [1, 2])
    assert [eval(r.reason)[0] for r in many] == [1, 1]
    # a verifier of (answer, db) still gets two arguments
    plain = runner.run_verifier("def verify(answer, db):\n    return True, 'two'\n", None)
    assert (plain.status, plain.reason) == ("ok", "two")


def test_the_initial_state_is_read_only_for_the_verifier(runner: RunnerSession) -> None:
    runner.reset()
    src = (
        "def verify(answer, db, before, changes):\n"
        "    before.execute('DELETE FROM guests')\n"
        "    return True, 'wrote'\n"
    )
    res = runner.run_verifier(src, None)
    assert res.status == "error"
    assert "readonly" in (res.error.message if res.error else "").replace("-", "")
