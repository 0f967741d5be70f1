"""Procedural category: a public library system in a real city: catalog, copies and loans.

Branches hold copies of books; members have card limits, fines and loans; holds block
renewals. Levels go from an availability lookup to borrowing with a home-branch rule,
returning overdue loans, a reading list under the card limit, and (toolset v2,
``renew_loan``) renewing or returning what is due soon and then borrowing a reading list
with the slots that leaves. Write tasks are verified on the final loans, copies and fines.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import Any

from envfoundry.generators.general import refdata
from envfoundry.generators.general.categories._kit import Catalog, Sources, World, row_id

CODE = Sources("library_loans")
DESCRIPTION = (
    "A public library system in a real city: books and copies per branch, members with "
    "card limits and fines, loans, returns, holds and renewals."
)
GENRES = (
    "Mystery", "Science Fiction", "Fantasy", "History", "Biography", "Romance", "Science",
    "Children",
)  # fmt: skip
ADJ = (
    "Silent", "Hidden", "Last", "Golden", "Broken", "Distant", "Secret", "Winter", "Burning",
    "Forgotten", "Crimson", "Endless", "Quiet", "Northern", "Glass", "Midnight",
)  # fmt: skip
NOUN = (
    "River", "Garden", "Empire", "Orchard", "Lighthouse", "Kingdom", "Harbor", "Letters", "Atlas",
    "Storm", "Mountain", "Archive", "Voyage", "Compass", "Forest", "Bridge",
)  # fmt: skip


class _World:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.today = dt.date(2025, rng.randint(2, 11), rng.randint(1, 28))
        city = rng.choice(refdata.world_cities()[::5])["name"]
        self.branches: list[dict[str, Any]] = [
            {"id": i + 1, "name": f"{city} {n}", "city": city}
            for i, n in enumerate(("Central Library", "Northside Branch", "Riverside Branch"))
        ]
        people = refdata.person_names(rng, 22)
        self.authors, names = people[:10], people[10:]
        self.members: list[dict[str, Any]] = [
            {
                "id": row_id("members"),
                "name": n,
                "card_type": rng.choice(["standard", "standard", "premium"]),
                "home_branch_id": rng.randint(1, 3),
                "fines_due": round(rng.randint(0, 16) * 0.25, 2),
            }
            for n in names
        ]
        self.books: list[dict[str, Any]] = []
        self.copies: list[dict[str, Any]] = []
        self.loans: list[dict[str, Any]] = []
        self.holds: list[list[Any]] = []
        self.titles: set[str] = set()
        for _ in range(26):
            book = self.add_book(rng.choice(self.authors), rng.randint(1955, 2023))
            for branch in rng.sample([1, 2, 3], rng.randint(1, 3)):
                copy = self.add_copy(book, branch)
                if rng.random() < 0.35:
                    self.lend(copy, rng.choice(self.members[6:]), rng.randint(-6, 20))
        for m in self.members[6:9]:
            self.holds.append(
                [
                    row_id("holds"),
                    rng.choice(self.books)["id"],
                    m["id"],
                    self.day(-rng.randint(1, 9)),
                    "active",
                ]
            )

    def day(self, offset: int) -> str:
        return (self.today + dt.timedelta(days=offset)).isoformat()

    def add_book(self, author: str, year: int) -> dict[str, Any]:
        rng = self.rng
        title = ""
        while not title or title in self.titles:
            first, second = rng.sample(NOUN, 2)
            title = rng.choice(
                [
                    f"The {rng.choice(ADJ)} {first}",
                    f"{first} of the {rng.choice(ADJ)} {second}",
                    f"A {rng.choice(ADJ)} {second}",
                ]
            )
        self.titles.add(title)
        book = {
            "id": row_id("books"),
            "title": title,
            "author": author,
            "genre": rng.choice(GENRES),
            "year": year,
            "isbn": f"978-{rng.randint(0, 9)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}-{rng.randint(0, 9)}",
        }
        self.books.append(book)
        return book

    def add_copy(
        self, book: dict[str, Any], branch: int, status: str = "available"
    ) -> dict[str, Any]:
        copy = {
            "id": row_id("copies"),
            "book_id": book["id"],
            "branch_id": branch,
            "status": status,
        }
        self.copies.append(copy)
        return copy

    def lend(
        self, copy: dict[str, Any], member: dict[str, Any], due: int, renewals: int = 0
    ) -> int:
        copy["status"] = "on_loan"
        lid = row_id("loans")
        self.loans.append(
            {
                "id": lid,
                "copy_id": copy["id"],
                "member_id": member["id"],
                "loan_date": self.day(due - 21 - 14 * renewals),
                "due_date": self.day(due),
                "return_date": None,
                "renewals": renewals,
                "late_fee": 0.0,
            }
        )
        return lid

    def planted(
        self, copies: Iterable[int], author: str | None = None, year: int = 2010
    ) -> dict[str, Any]:
        """A new book with one copy per branch id in ``copies`` (negative = on loan)."""
        book = self.add_book(author or self.rng.choice(self.authors), year)
        for branch in copies:
            copy = self.add_copy(book, abs(branch))
            if branch < 0:
                self.lend(copy, self.rng.choice(self.members[6:]), self.rng.randint(2, 18))
        return book

    def db_rows(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        out["settings"] = [["today", self.today.isoformat()]]
        for table, rows in (
            ("branches", self.branches),
            ("books", self.books),
            ("copies", self.copies),
            ("members", self.members),
            ("loans", self.loans),
        ):
            out[table] = [list(r.values()) for r in rows]
        out["holds"] = self.holds
        return out


def _other(home: int) -> int:
    return 1 + home % 3


def _l1(w: _World) -> Any:
    author = w.authors[0]
    w.planted([2, 3], author, 2001)
    branches = w.rng.sample([1, 2, 3], 3)
    w.planted([branches[0], -branches[1], w.rng.choice([branches[2], -branches[2]])], author, 2024)
    p = {"AUTHOR": author}
    prompt = CODE.prompt(1, p)
    return prompt, p


def _l2(w: _World) -> Any:
    m = w.members[1]
    m["fines_due"] = 0.0
    home = m["home_branch_id"]
    book = w.planted([_other(home), -home, home])
    p = {"NAME": m["name"], "TITLE": book["title"], "HOME_FREE": True}
    prompt = CODE.prompt(2, p)
    return prompt, p


def _l3(w: _World) -> Any:
    m = w.members[2]
    m.update(card_type="child", fines_due=1.5)
    home = m["home_branch_id"]
    overdue = []
    for due in (-4, -9, 6):
        book = w.planted([])
        lid = w.lend(w.add_copy(book, w.rng.randint(1, 3)), m, due)
        if due < 0:
            overdue.append(lid)
    book = w.planted([home, -_other(home)])
    p = {"NAME": m["name"], "TITLE": book["title"], "OVERDUE": overdue, "FINES0": 1.5}
    prompt = CODE.prompt(3, p)
    return prompt, p


def _l4(w: _World) -> Any:
    m = w.members[3]
    m.update(card_type="standard", fines_due=0.5)
    home, other = m["home_branch_id"], _other(m["home_branch_id"])
    soon = []
    for due in (1, 3, 10, 15):
        lid = w.lend(w.add_copy(w.planted([]), w.rng.randint(1, 3)), m, due)
        if due <= 3:
            soon.append(lid)
    layout = [[other, home], [-home, -other], [other], [home, -other], [other, home]]
    books = [w.planted(copies) for copies in layout]
    avail = {
        b["title"]: sorted(abs(c) for c in copies if c > 0)
        for b, copies in zip(books, layout, strict=True)
    }
    titles = [b["title"] for b in books]
    p = {
        "NAME": m["name"],
        "TITLES": titles,
        "DUE_SOON": soon,
        "FINES0": 0.5,
        "LIMIT": 5,
        "ACTIVE0": 4,
        "TITLES_AVAIL": avail,
        "HOME": home,
    }
    prompt = CODE.prompt(4, p, TITLE_LIST="; ".join(repr(t) for t in titles))
    return prompt, p


def _l5(w: _World) -> Any:
    m = w.members[4]
    m.update(card_type="standard")
    before: dict[int, list[Any]] = {}
    ids = []
    for due, renewals, held in ((2, 0, False), (4, 0, True), (3, 2, False), (12, 0, False)):
        book = w.planted([])
        lid = w.lend(w.add_copy(book, w.rng.randint(1, 3)), m, due, renewals)
        if held:
            w.holds.append([row_id("holds"), book["id"], w.members[9]["id"], w.day(-2), "active"])
        before[lid] = [w.day(due), renewals]
        ids.append(lid)
    # level 4's reading list on top: 4 of 5 books available, 3 slots left once the two
    # loans that cannot be renewed are returned (returning all three would leave 4)
    home, other = m["home_branch_id"], _other(m["home_branch_id"])
    layout = [[other, home], [-home, -other], [other], [home, -other], [other, home]]
    w.rng.shuffle(layout)
    books = [w.planted(copies) for copies in layout]
    avail = {
        b["title"]: sorted(abs(c) for c in copies if c > 0)
        for b, copies in zip(books, layout, strict=True)
    }
    titles = [b["title"] for b in books]
    p = {
        "NAME": m["name"],
        "RENEW": ids[:1],
        "RETURN": ids[1:3],
        "BEFORE": before,
        "FINES0": m["fines_due"],
        "TITLES": titles,
        "TITLES_AVAIL": avail,
        "LIMIT": 5,
        "HOME": home,
    }
    prompt = CODE.prompt(5, p, TITLE_LIST="; ".join(repr(t) for t in titles))
    return prompt, p


def _generate(rng: random.Random) -> World:
    w = _World(rng)
    plants = {1: _l1(w), 2: _l2(w), 3: _l3(w), 4: _l4(w), 5: _l5(w)}
    common = {"MAX_LOAN": max(loan["id"] for loan in w.loans), "TODAY": w.today.isoformat()}
    tasks = {
        level: CODE.task(
            level,
            prompt,
            {**common, **params},
            toolset_version=2 if level == 5 else 1,
            unique=level == 1,
        )
        for level, (prompt, params) in plants.items()
    }
    return w.db_rows(), tasks, {}


CATEGORY = Catalog(CODE, DESCRIPTION, _generate)
