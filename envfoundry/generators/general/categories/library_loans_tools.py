"""Tool specs of the library_loans category; the tools are ``sandbox/library_loans/tools_v*.py``."""

from __future__ import annotations

from envfoundry.generators.general.categories._kit import INT, STR, tool

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
