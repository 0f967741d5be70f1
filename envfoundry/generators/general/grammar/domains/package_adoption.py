"""Grammar category: orphaned packages of a package index, filed under real Trove topic
classifiers (trove-classifiers: each topic's area, depth, siblings and subtopics) with real
development-status classifiers, looking for new maintainers."""

from __future__ import annotations

import random
from functools import lru_cache
from typing import Any

from envfoundry.generators.general.categories._kit import people
from envfoundry.generators.general.grammar.category import GrammarCatalog
from envfoundry.generators.general.grammar.model import (
    Attr,
    Entity,
    GrammarCategory,
    Rows,
    WriteAction,
)

SEP = " :: "
HEADS = (
    "astro", "bio", "geo", "chem", "neuro", "quant", "signal", "graph", "sound", "pixel",
    "text", "net", "cloud", "shell", "test", "doc", "mail", "game", "font", "stat",
)  # fmt: skip
TAILS = ("kit", "py", "lib", "tools", "core", "utils", "flow", "forge", "lab", "box")


@lru_cache(maxsize=1)
def _statuses() -> tuple[str, ...]:
    """The real development-status classifiers' names ("Production/Stable", ...)."""
    from trove_classifiers import sorted_classifiers

    prefix = "Development Status" + SEP
    return tuple(
        c.split(SEP)[-1].split(" - ", 1)[-1] for c in sorted_classifiers if c.startswith(prefix)
    )


@lru_cache(maxsize=1)
def _topics() -> dict[str, tuple[dict[str, Any], ...]]:
    """Topic classifiers two or three levels under "Topic", by their area (the first level)."""
    from trove_classifiers import sorted_classifiers

    topics = [tuple(c.split(SEP)[1:]) for c in sorted_classifiers if c.startswith("Topic" + SEP)]
    out: dict[str, list[dict[str, Any]]] = {}
    for path in topics:
        if not 2 <= len(path) <= 3:
            continue
        out.setdefault(path[0], []).append(
            {
                "name": SEP.join(path[1:]),
                "area": path[0],
                "depth": len(path),
                "siblings": sum(1 for p in topics if p[:-1] == path[:-1]) - 1,
                "subtopics": sum(1 for p in topics if p[:-1] == path),
            }
        )
    # a topic's label is its path under its area: unique within one area only
    return {k: tuple(v) for k, v in sorted(out.items()) if len(v) >= 4}


def _rows(rng: random.Random) -> Rows:
    topics = _topics()
    groups: list[dict[str, Any]] = []
    for area in rng.sample(sorted(topics), rng.randint(3, 4)):
        groups += rng.sample(topics[area], rng.randint(2, 4))
    labels = [g["name"] for g in groups]
    groups = [g for g in groups if labels.count(g["name"]) == 1]
    rng.shuffle(groups)
    names = rng.sample([f"{h}{t}" for h in HEADS for t in TAILS], 150)
    statuses = _statuses()
    items = []
    for gi, _ in enumerate(groups):
        for _ in range(rng.randint(5, 9)):
            items.append(
                {
                    "name": names.pop(),
                    "status": rng.choice(statuses),
                    "downloads": rng.randrange(40, 900000),
                    "issues": rng.randint(0, 600),
                    "stale": rng.randint(30, 3000),
                    "dependents": rng.randint(0, 2500),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": n} for n in people(rng, 10)]
    return {"group": [dict(g) for g in groups], "item": items, "owner": owners}


DECLARATION = GrammarCategory(
    name="package_adoption",
    description=(
        "Orphaned packages filed under real Trove topic classifiers (area, depth, siblings, "
        "subtopics) with real development statuses; find packages by topic facts, status, "
        "downloads and staleness, and adopt them for volunteer maintainers."
    ),
    group=Entity(
        names=(("topic", "topics"), ("classifier", "classifiers")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "topic_path"), "name"),
            Attr("area", "text", ("area", "top_level_topic"), "area", categorical=True),
            Attr("depth", "int", ("depth", "nesting_level"), "depth", rank=True),
            Attr(
                "siblings",
                "int",
                ("sibling_count", "siblings"),
                "number of sibling topics",
                rank=True,
            ),
            Attr(
                "subtopics",
                "int",
                ("subtopic_count", "children"),
                "number of subtopics",
                rank=True,
                optional=True,
            ),
        ),
    ),
    item=Entity(
        names=(("package", "packages"), ("project", "projects")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "package_name"), "name"),
            Attr(
                "status",
                "text",
                ("development_status", "maturity"),
                "development status",
                categorical=True,
            ),
            Attr(
                "downloads",
                "int",
                ("monthly_downloads", "downloads_30d"),
                "monthly downloads",
                rank=True,
            ),
            Attr("issues", "int", ("open_issues", "issue_count"), "open issues", rank=True),
            Attr(
                "stale",
                "int",
                ("days_since_release", "release_age_days"),
                "release age",
                unit="days",
                rank=True,
                additive=False,
            ),
            Attr(
                "dependents",
                "int",
                ("dependent_packages", "reverse_deps"),
                "number of dependent packages",
                rank=True,
                optional=True,
            ),
        ),
    ),
    owner=Entity(
        names=(("volunteer", "volunteers"), ("maintainer", "maintainers")),
        label="name",
        attrs=(Attr("name", "text", ("name", "display_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("adopt_package", "claim_maintainership", "join_maintainers"),
        capacity=("open_seats", "maintainer_seats", "seats_left"),
        capacity_phrase="an open maintainer seat",
        record=(("adoption", "adoptions"), ("handover", "handovers")),
        undo_verbs=("cancel", "revoke"),
        phrase="adopt a package as its co-maintainer",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
