"""Grammar category: a digital archive's file collections by their real media type (the
standard library's ``mimetypes`` defaults: top-level type, registration tree, file-name
extensions), with format-migration jobs to schedule."""

from __future__ import annotations

import random
from functools import lru_cache
from typing import Any

from envfoundry.generators.general.grammar.category import GrammarCatalog
from envfoundry.generators.general.grammar.model import (
    Attr,
    Entity,
    GrammarCategory,
    Rows,
    WriteAction,
)

TIERS = ("hot", "cool", "archive", "tape")
DEPARTMENTS = (
    "Rare Books", "Maps", "Oral History", "Photography", "Manuscripts", "Newspapers",
    "Film Archive", "Music", "Government Records", "Science Data", "Web Archive", "Art",
)  # fmt: skip


def _tree(subtype: str) -> str:
    """The registration tree of a media subtype (RFC 6838): vendor, unregistered or
    standards."""
    if subtype.startswith("vnd."):
        return "vendor"
    if subtype.startswith("x-"):
        return "unregistered"
    return "standards"


@lru_cache(maxsize=1)
def _media_types() -> dict[str, tuple[dict[str, Any], ...]]:
    """The standard library's default media types (not the machine's mime.types files), by
    top-level type."""
    import mimetypes

    exts: dict[str, list[str]] = {}
    for ext, mtype in sorted(mimetypes.MimeTypes().types_map[True].items()):
        exts.setdefault(mtype, []).append(ext)
    out: dict[str, list[dict[str, Any]]] = {}
    for mtype, names in sorted(exts.items()):
        top, sub = mtype.split("/", 1)
        out.setdefault(top, []).append(
            {
                "name": mtype,
                "top": top,
                "tree": _tree(sub),
                "extensions": len(names),
                "extension": names[0],
            }
        )
    return {k: tuple(v) for k, v in out.items() if len(v) >= 5}


def _rows(rng: random.Random) -> Rows:
    types = _media_types()
    groups: list[dict[str, Any]] = []
    # three top-level types with three to five media types each: a join on one reads more
    # media types than L2's two named ones, so L3 needs more tool calls than L2
    for top in rng.sample(sorted(types), 3):
        groups += rng.sample(types[top], min(len(types[top]), rng.randint(3, 5)))
    rng.shuffle(groups)
    codes = rng.sample(range(1000, 9999), 150)
    items = []
    for gi, _ in enumerate(groups):
        for _ in range(rng.randint(5, 9)):
            items.append(
                {
                    "code": f"COL-{codes.pop()}",
                    "tier": rng.choice(TIERS),
                    "files": rng.randrange(10, 400000),
                    "size": rng.randrange(1, 90000),
                    "cost": rng.randrange(2, 4000),
                    "checked": rng.randint(1, 1500),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": d} for d in rng.sample(DEPARTMENTS, 8)]
    return {"group": [dict(g) for g in groups], "item": items, "owner": owners}


DECLARATION = GrammarCategory(
    name="media_type_storage",
    description=(
        "A digital archive's file collections by real media type (top-level type, "
        "registration tree, extensions); find collections by type facts, storage tier, size "
        "and cost, and schedule format migrations for departments."
    ),
    group=Entity(
        names=(("media_type", "media_types"), ("mime_type", "mime_types")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "type_name"), "name"),
            Attr(
                "top", "text", ("top_level_type", "main_type"), "top-level type", categorical=True
            ),
            Attr(
                "tree",
                "text",
                ("registration_tree", "tree"),
                "registration tree",
                categorical=True,
            ),
            Attr(
                "extensions",
                "int",
                ("extension_count", "known_extensions"),
                "number of file-name extensions",
                rank=True,
            ),
            Attr(
                "extension",
                "text",
                ("first_extension", "sample_extension"),
                "first extension",
                optional=True,
            ),
        ),
    ),
    item=Entity(
        names=(("collection", "collections"), ("holding", "holdings")),
        label="code",
        attrs=(
            Attr("code", "text", ("collection_code", "shelfmark"), "code"),
            Attr("tier", "text", ("storage_tier", "tier"), "storage tier", categorical=True),
            Attr("files", "int", ("file_count", "files"), "number of files", rank=True),
            Attr("size", "int", ("size_gb", "gigabytes"), "size", unit="GB", rank=True),
            Attr(
                "cost",
                "int",
                ("monthly_cost_usd", "storage_cost"),
                "monthly storage cost",
                unit="USD",
                rank=True,
            ),
            Attr(
                "checked",
                "int",
                ("days_since_fixity_check", "fixity_age_days"),
                "fixity-check age",
                unit="days",
                rank=True,
                optional=True,
                additive=False,
            ),
        ),
    ),
    owner=Entity(
        names=(("department", "departments"), ("curator_desk", "curator_desks")),
        label="name",
        attrs=(Attr("name", "text", ("name", "department_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("schedule_migration", "queue_format_migration", "book_migration"),
        capacity=("migration_slots", "slots_left", "queue_slots"),
        capacity_phrase="a free migration slot",
        record=(("migration_job", "migration_jobs"), ("migration", "migrations")),
        undo_verbs=("cancel", "withdraw"),
        phrase="schedule a format migration of a collection",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
