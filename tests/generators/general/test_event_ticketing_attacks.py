"""Attacks on the event_ticketing verifiers: the best seats bought for someone else first,
collateral purchases, refunds and transfers, a write left out, questions answered after a
write; and the variants that must pass (any order, a wrong purchase refunded again)."""

from __future__ import annotations

from typing import Any

import pytest

from envfoundry.generators.general.categories.event_ticketing import CATEGORY
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


def _me(e: Episode) -> int:
    if e.task.difficulty == 2:  # a question about no one
        return 0
    return int(rows(e, "SELECT id FROM customers WHERE name = ?", param(e, "NAME"))[0]["id"])


def _friends(e: Episode) -> tuple[str, str]:
    """The friends who may receive the customer's tickets (level 4), else no one."""
    if e.task.difficulty != 4:
        return "", ""
    return param(e, "FRIEND"), param(e, "FRIEND2")


def _others(e: Episode) -> list[int]:
    sql = "SELECT id FROM customers WHERE id != ? AND name NOT IN (?, ?) ORDER BY id"
    return [r["id"] for r in rows(e, sql, _me(e), *_friends(e))]


def _buy_other(e: Episode) -> str:
    who = _others(e)[0]
    secs = rows(
        e,
        "SELECT s.event_id, s.name FROM sections s JOIN events e ON e.id = s.event_id"
        " WHERE s.seats_left > 0 AND e.date >= (SELECT value FROM settings WHERE key = 'today')"
        " ORDER BY s.event_id, s.name",
    )
    return first_that_works(
        [
            f"tools.purchase_tickets(customer_id={who}, event_id={s['event_id']},"
            f" section={s['name']!r}, quantity=1)"
            for s in secs
        ]
    )


def _orders_of_others(e: Episode) -> list[dict[str, Any]]:
    keep = {_me(e)}
    return [
        o
        for o in rows(
            e,
            "SELECT o.* FROM orders o JOIN customers c ON c.id = o.customer_id"
            " WHERE o.status = 'active' AND c.name NOT IN (?, ?) ORDER BY o.id",
            *_friends(e),
        )
        if o["customer_id"] not in keep
    ]


def _refund_other(e: Episode) -> str:
    return first_that_works(
        [f"tools.refund_order(order_id={o['id']})" for o in _orders_of_others(e)]
    )


def _transfer_other(e: Episode) -> str:
    to = _others(e)[-1]
    return first_that_works(
        [
            f"tools.transfer_order(order_id={o['id']}, to_customer_id={to})"
            for o in _orders_of_others(e)
            if o["customer_id"] != to
        ]
    )


def _exhaust(e: Episode, event_id: int, section: str, qty: int) -> str:
    """Purchases by other customers until the section has fewer than ``qty`` seats left."""
    (sec,) = rows(
        e, "SELECT seats_left FROM sections WHERE event_id = ? AND name = ?", event_id, section
    )
    take, calls = sec["seats_left"] - (qty - 1), []
    for who in _others(e):
        if take <= 0:
            break
        n = min(8, take)
        calls.append(
            f"tools.purchase_tickets(customer_id={who}, event_id={event_id},"
            f" section={section!r}, quantity={n})"
        )
        take -= n
    return "\n".join(calls)


def _undone_purchase(e: Episode) -> str:
    """The target buys one ticket of a refundable event and refunds it."""
    (s,) = rows(
        e,
        "SELECT s.event_id, s.name FROM sections s JOIN events e ON e.id = s.event_id"
        " WHERE s.seats_left > 0 AND e.refundable = 1"
        " AND e.date >= (SELECT value FROM settings WHERE key = 'today')"
        " ORDER BY s.event_id DESC LIMIT 1",
    )
    return (
        f"_o = tools.purchase_tickets(customer_id={_me(e)}, event_id={s['event_id']},"
        f" section={s['name']!r}, quantity=1)\n"
        "tools.refund_order(order_id=_o['id'])"
    )


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), CASES)
def test_question_fails_after_any_write(seed: int, index: int) -> None:
    with Episode(CATEGORY, 2, seed, index) as e:
        assert e.reference().passed
        bad = e.run(e.around_reference(after=_buy_other(e)))
        assert not bad.passed and bad.reason.startswith("unexpected change")


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), CASES)
@pytest.mark.parametrize("level", [1, 3])
def test_one_purchase(level: int, seed: int, index: int) -> None:
    with Episode(CATEGORY, level, seed, index) as e:
        ref = e.reference()
        assert ref.passed, ref.reason
        for attack in (_buy_other(e), _refund_other(e)):
            bad = e.run(e.around_reference(after=attack))
            assert not bad.passed and "unexpected change" in bad.reason, bad.reason
        assert not e.answer_only(ref.answer).passed  # the purchase left out
        assert e.run(e.around_reference(before=_undone_purchase(e))).passed
        # the best section, bought out by others first; then the next best for the target
        (order,) = e.call_here("list_orders", customer_id=_me(e))[-1:]
        qty = param(e, "QTY")
        greedy = e.run(
            e.around_reference(before=_exhaust(e, order["event_id"], order["section"], qty))
        )
        assert greedy.answer is not None, greedy.error
        assert not greedy.passed, greedy.reason
        if level == 3:  # the event the customer already holds tickets for is not skipped
            src = e.task.reference_solution or ""
            held = "\n\ndef solve(tools):\n    return _buy_earliest(tools, CAP, skip_held=False)\n"
            bad = e.run(src + held)
            assert bad.answer is not None, bad.error
            assert not bad.passed, bad.reason


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), CASES)
def test_weekend_orders(seed: int, index: int) -> None:
    with Episode(CATEGORY, 5, seed, index) as e:
        ref = e.reference()
        assert ref.passed, ref.reason
        assert e.run(e.around_reference(after="answer['order_ids'].reverse()")).passed
        dup = "answer['order_ids'] = answer['order_ids'][:2] + answer['order_ids'][:1]"
        assert not e.run(e.around_reference(after=dup)).passed
        for attack in (_buy_other(e), _refund_other(e)):
            bad = e.run(e.around_reference(after=attack))
            assert not bad.passed and "unexpected change" in bad.reason, bad.reason
        left_out = skipping(
            e,
            "purchase_tickets",
            2,
            result={"id": -1},
            after="answer['order_ids'].remove(-1)",
        )
        assert not e.run(left_out).passed
        assert e.run(e.around_reference(before=_undone_purchase(e))).passed


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), CASES)
def test_refund_or_transfer(seed: int, index: int) -> None:
    with Episode(CATEGORY, 4, seed, index) as e:
        ref = e.reference()
        assert ref.passed, ref.reason
        for attack in (_buy_other(e), _refund_other(e), _transfer_other(e)):
            bad = e.run(e.around_reference(after=attack))
            assert not bad.passed and "unexpected change" in bad.reason, bad.reason
        assert not e.run(skipping(e, "refund_order", 1)).passed
        assert not e.run(skipping(e, "transfer_order", 1)).passed
        assert not e.run(skipping(e, "transfer_order", 2)).passed
        # every transfer to the first friend, even of an event they already hold tickets for
        src = e.task.reference_solution or ""
        one = "\nFRIEND2 = FRIEND\n"
        bad = e.run(src + one)
        assert bad.answer is not None and not bad.passed, bad.reason
        swapped = (
            "answer = {'refunded_order_ids': answer['transferred_order_ids'],"
            " 'transferred_order_ids': answer['refunded_order_ids']}"
        )
        assert not e.run(e.around_reference(after=swapped)).passed
