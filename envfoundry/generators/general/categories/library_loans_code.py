"""Tool specs and generated-code templates (tools, solutions, verifiers) of the library_loans category.

The templates are files under ``sandbox/library_loans/``, read as text."""

from __future__ import annotations

from envfoundry.generators.general.categories._procedural_kit import INT, STR, sandbox_reader, tool

_text = sandbox_reader("library_loans")

SCHEMA_SQL = _text("schema.sql")

TOOLS_V1 = _text("tools_v1.py")

TOOLS_V2_EXTRA = _text("tools_v2.py")

TOOLS_V1_SPECS = (
    tool("list_branches", "List the library's branches."),
    tool(
        "search_catalog",
        "Search books by title fragment, author fragment and/or genre; all filters optional.",
        {"title": STR, "author": STR, "genre": STR},
    ),
    tool(
        "get_book",
        "One book with all its copies and their branch and status.",
        {"book_id": INT},
        ["book_id"],
    ),
    tool(
        "find_member",
        "A member by full name: card_type, max_loans, home_branch_id, fines_due, active_loans.",
        {"name": STR},
        ["name"],
    ),
    tool(
        "list_loans", "A member's active loans and today's date.", {"member_id": INT}, ["member_id"]
    ),
    tool(
        "checkout_copy",
        "Lend an available copy to a member (due in 21 days).",
        {"member_id": INT, "copy_id": INT},
        ["member_id", "copy_id"],
        mutates=True,
    ),
    tool(
        "return_loan",
        "Return a loan; late days cost 0.25 each, added to the member's fines.",
        {"loan_id": INT},
        ["loan_id"],
        mutates=True,
    ),
)
TOOLS_V2_SPECS = (
    tool(
        "renew_loan",
        "Renew an active, not overdue loan by 14 days (refused if another member holds the "
        "book or after two renewals).",
        {"loan_id": INT},
        ["loan_id"],
        mutates=True,
    ),
)

L1_SOLVE = _text("l1_solve.py")
L1_PERTURBED = _text("l1_perturbed.py")
L1_VERIFY = _text("l1_verify.py")

V_LOANS = _text("v_loans.py")

L2_SOLVE = _text("l2_solve.py")
L2_PERTURBED = _text("l2_perturbed.py")
L2_VERIFY = V_LOANS + _text("l2_verify.py")

L3_SOLVE = _text("l3_solve.py")
# returns every loan, not only the overdue ones
L3_PERTURBED = _text("l3_perturbed.py")
L3_VERIFY = V_LOANS + _text("l3_verify.py")

L4_SOLVE = _text("l4_solve.py")
L4_PERTURBED = _text("l4_perturbed.py")
L4_VERIFY = V_LOANS + _text("l4_verify.py")

L5_SOLVE = _text("l5_solve.py")
L5_PERTURBED = _text("l5_perturbed.py")
L5_VERIFY = V_LOANS + _text("l5_verify.py")
