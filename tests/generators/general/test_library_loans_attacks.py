"""Attacks on the library_loans verifiers: the home-branch copy lent to someone else first,
collateral checkouts, returns and renewals, a write left out, a question answered after a
write; and the variants that must pass (any order, a wrong checkout returned again)."""

from __future__ import annotations

import pytest

from envfoundry.generators.general.categories.library_loans import CATEGORY
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
    if e.task.difficulty == 1:  # a question about no one
        return 0
    return int(rows(e, "SELECT id FROM members WHERE name = ?", param(e, "NAME"))[0]["id"])


def _checkout_other(e: Episode) -> str:
    members = rows(e, "SELECT id FROM members WHERE id != ? AND fines_due <= 10 LIMIT 3", _me(e))
    copies = rows(e, "SELECT id FROM copies WHERE status = 'available' ORDER BY id DESC LIMIT 5")
    return first_that_works(
        [
            f"tools.checkout_copy(member_id={m['id']}, copy_id={c['id']})"
            for m in members
            for c in copies
        ]
    )


def _other_loans(e: Episode) -> list[int]:
    sql = "SELECT id FROM loans WHERE member_id != ? AND return_date IS NULL ORDER BY id"
    return [r["id"] for r in rows(e, sql, _me(e))]


def _return_other(e: Episode) -> str:
    return first_that_works([f"tools.return_loan(loan_id={i})" for i in _other_loans(e)])


def _renew_other(e: Episode) -> str:
    return first_that_works([f"tools.renew_loan(loan_id={i})" for i in _other_loans(e)])


def _undone_checkout(e: Episode) -> str:
    """The target borrows a copy of a book the task is not about, and returns it."""
    (c,) = rows(e, "SELECT id FROM copies WHERE status = 'available' ORDER BY id DESC LIMIT 1")
    return (
        f"_l = tools.checkout_copy(member_id={_me(e)}, copy_id={c['id']})\n"
        "tools.return_loan(loan_id=_l['loan_id'])"
    )


def _collateral_fails(e: Episode, attacks: list[str]) -> None:
    for attack in attacks:
        bad = e.run(e.around_reference(after=attack))
        assert bad.answer is not None, bad.error
        assert not bad.passed and "unexpected change" in bad.reason, bad.reason


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), CASES)
def test_question_fails_after_any_write(seed: int, index: int) -> None:
    with Episode(CATEGORY, 1, seed, index) as e:
        ref = e.reference()
        assert ref.passed, ref.reason
        _collateral_fails(e, [_checkout_other(e), _return_other(e)])
        ids = ref.answer["branch_ids"]
        assert e.answer_only({"branch_ids": ids[::-1]}).passed
        assert not e.answer_only({"branch_ids": ids + ids[:1]}).passed


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), CASES)
def test_borrow(seed: int, index: int) -> None:
    with Episode(CATEGORY, 2, seed, index) as e:
        ref = e.reference()
        assert ref.passed, ref.reason
        _collateral_fails(e, [_checkout_other(e), _return_other(e)])
        assert not e.answer_only(ref.answer).passed  # the checkout left out
        assert e.run(e.around_reference(before=_undone_checkout(e))).passed
        # the home-branch copy lent to another member first; the target borrows elsewhere
        (me,) = rows(e, "SELECT home_branch_id FROM members WHERE name = ?", param(e, "NAME"))
        home = me["home_branch_id"]
        (book,) = rows(e, "SELECT id FROM books WHERE title = ?", param(e, "TITLE"))
        copies = rows(
            e,
            "SELECT id FROM copies WHERE book_id = ? AND branch_id = ? AND status = 'available'",
            book["id"],
            home,
        )
        # other members whose card has room for one more loan
        other = rows(
            e,
            "SELECT m.id FROM members m WHERE m.id != ? AND m.fines_due <= 10 AND"
            " (SELECT COUNT(*) FROM loans l WHERE l.member_id = m.id AND l.return_date IS NULL)"
            " < CASE m.card_type WHEN 'premium' THEN 10 WHEN 'child' THEN 3 ELSE 5 END",
            _me(e),
        )
        taken = "\n".join(
            f"tools.checkout_copy(member_id={m['id']}, copy_id={c['id']})"
            for m, c in zip(other, copies, strict=False)
        )
        greedy = e.run(e.around_reference(before=taken))
        assert greedy.answer is not None, greedy.error
        assert not greedy.passed


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), CASES)
@pytest.mark.parametrize("level", [3, 4])
def test_return_then_borrow(level: int, seed: int, index: int) -> None:
    with Episode(CATEGORY, level, seed, index) as e:
        ref = e.reference()
        assert ref.passed, ref.reason
        assert len(ref.answer["returned_loan_ids"]) >= 2
        lists = [k for k, v in ref.answer.items() if isinstance(v, list)]
        permuted = "; ".join(f"answer[{k!r}].reverse()" for k in lists)
        assert e.run(e.around_reference(after=permuted)).passed
        dup = "answer['returned_loan_ids'].append(answer['returned_loan_ids'][0])"
        assert not e.run(e.around_reference(after=dup)).passed
        _collateral_fails(e, [_checkout_other(e), _return_other(e)])
        assert not e.run(skipping(e, "return_loan", 1)).passed
        # a wrong checkout returned again (after the reference at L3: the child card is full)
        undo = {"after": _undone_checkout(e)} if level == 3 else {"before": _undone_checkout(e)}
        assert e.run(e.around_reference(**undo)).passed


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "index"), CASES)
def test_renew_or_return(seed: int, index: int) -> None:
    with Episode(CATEGORY, 5, seed, index) as e:
        ref = e.reference()
        assert ref.passed, ref.reason
        assert e.run(e.around_reference(after="answer['returned_loan_ids'].reverse()")).passed
        _collateral_fails(e, [_checkout_other(e), _return_other(e), _renew_other(e)])
        assert not e.run(skipping(e, "renew_loan", 1)).passed
        assert not e.run(skipping(e, "return_loan", 2)).passed
        # the reading list on top of the renewals: a listed book left out fails, and so does
        # a book borrowed past the slots the renewals leave
        assert not e.run(skipping(e, "checkout_copy", 1)).passed
        extra = "answer['new_loan_ids'].append(answer['new_loan_ids'][0])"
        assert not e.run(e.around_reference(after=extra)).passed
        assert e.run(e.around_reference(after="answer['new_loan_ids'].reverse()")).passed
        assert e.run(e.around_reference(before=_undone_checkout(e))).passed
