"""Grammar category: a licence-compliance review of software components under real licences
(license-expression's ScanCode LicenseDB index: SPDX identifiers, licence category, alias
keys; the family and version are read off the SPDX identifier)."""

from __future__ import annotations

import json
import random
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from envfoundry.generators.general.grammar.category import GrammarCatalog
from envfoundry.generators.general.grammar.model import (
    Attr,
    Entity,
    GrammarCategory,
    Rows,
    WriteAction,
)

LANGUAGES = ("C", "C++", "Python", "JavaScript", "Java", "Rust", "Go", "Ruby")
HEADS = (
    "lib", "fast", "tiny", "open", "micro", "hyper", "py", "node", "super", "simple", "net",
    "data", "quick", "deep", "meta", "auto",
)  # fmt: skip
TAILS = (
    "json", "yaml", "http", "crypt", "zip", "parse", "log", "image", "sql", "cache", "queue",
    "grpc", "xml", "regex", "auth", "mail", "test", "stream", "config", "vector",
)  # fmt: skip
TEAMS = (
    "Payments", "Search", "Mobile", "Checkout", "Identity", "Analytics", "Platform",
    "Messaging", "Billing", "Maps", "Storage", "Ads",
)  # fmt: skip
_VERSIONED = re.compile(r"([A-Za-z]+)-(\d+\.\d+)(?:-.*)?")


@lru_cache(maxsize=1)
def _licences() -> dict[str, tuple[dict[str, Any], ...]]:
    """Versioned, current SPDX licences (not exceptions) by ScanCode category."""
    index = resources.files("license_expression") / "data" / "scancode-licensedb-index.json"
    out: dict[str, list[dict[str, Any]]] = {}
    for lic in sorted(json.loads(index.read_text()), key=lambda x: x["license_key"]):
        spdx = lic.get("spdx_license_key") or ""
        match = _VERSIONED.fullmatch(spdx)
        if not match or lic["is_exception"] or lic["is_deprecated"]:
            continue
        out.setdefault(lic["category"], []).append(
            {
                "name": spdx,
                "category": lic["category"],
                "family": match.group(1),
                "version": float(match.group(2)),
                "aliases": len(lic["other_spdx_license_keys"]),
            }
        )
    return {k: tuple(v) for k, v in out.items() if len(v) >= 4}


def _rows(rng: random.Random) -> Rows:
    lic = _licences()
    groups: list[dict[str, Any]] = []
    # three categories with three to five licences each: a join on a category then reads
    # more licences than L2's two named ones (L3 needs more tool calls than L2)
    for category in rng.sample(sorted(lic), 3):
        groups += rng.sample(lic[category], min(len(lic[category]), rng.randint(3, 5)))
    rng.shuffle(groups)
    names = rng.sample([f"{h}{t}" for h in HEADS for t in TAILS], 150)
    items = []
    for gi, _ in enumerate(groups):
        for _ in range(rng.randint(5, 9)):
            items.append(
                {
                    "name": names.pop(),
                    "language": rng.choice(LANGUAGES),
                    "usages": rng.randint(1, 400),
                    "size": rng.randrange(2, 2500),
                    "stale": rng.randint(3, 2200),
                    "risk": round(rng.uniform(0.0, 10.0), 2),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": f"{t} team"} for t in rng.sample(TEAMS, 8)]
    return {"group": [dict(g) for g in groups], "item": items, "owner": owners}


DECLARATION = GrammarCategory(
    name="licence_compliance_review",
    description=(
        "Software components under real SPDX licences (ScanCode category, family, version); "
        "find components by licence facts, language, usage and risk, and open compliance "
        "reviews for product teams."
    ),
    group=Entity(
        names=(("licence", "licences"), ("license", "licenses")),
        label="name",
        attrs=(
            Attr("name", "text", ("spdx_id", "spdx_key"), "SPDX identifier"),
            Attr(
                "category",
                "text",
                ("category", "licence_category"),
                "licence category",
                categorical=True,
            ),
            Attr("family", "text", ("family", "licence_family"), "family", categorical=True),
            Attr("version", "real", ("version", "licence_version"), "version", rank=True),
            Attr(
                "aliases",
                "int",
                ("alias_count", "other_spdx_keys"),
                "number of other SPDX keys",
                rank=True,
                optional=True,
            ),
        ),
    ),
    item=Entity(
        names=(("component", "components"), ("dependency", "dependencies")),
        label="name",
        attrs=(
            Attr("name", "text", ("name", "component_name"), "name"),
            Attr("language", "text", ("language", "written_in"), "language", categorical=True),
            Attr(
                "usages",
                "int",
                ("product_usages", "used_by"),
                "product usage count",
                rank=True,
            ),
            Attr("size", "int", ("size_kloc", "kloc"), "size", unit="kLOC", rank=True),
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
                "risk",
                "real",
                ("risk_score", "audit_risk"),
                "risk score",
                rank=True,
                optional=True,
                additive=False,
            ),
        ),
    ),
    owner=Entity(
        names=(("product_team", "product_teams"), ("team", "teams")),
        label="name",
        attrs=(Attr("name", "text", ("name", "team_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("request_review", "open_compliance_review", "file_clearance"),
        capacity=("review_slots", "reviews_open", "slots_left"),
        capacity_phrase="a free review slot",
        record=(("review", "reviews"), ("clearance_request", "clearance_requests")),
        undo_verbs=("cancel", "withdraw"),
        phrase="open a compliance review of a component",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
