"""Grammar category: monitored endpoints by the real HTTP status they keep answering with
(the standard library's ``http.HTTPStatus``: code, reason phrase, class, description; the
endpoints' methods are ``http.HTTPMethod``'s)."""

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

CLASSES = {
    1: "informational",
    2: "success",
    3: "redirection",
    4: "client error",
    5: "server error",
}
SERVICES = ("checkout", "search", "auth", "billing", "media", "catalog", "profile", "notify")
# methods an API endpoint is routed by (not CONNECT / TRACE / OPTIONS / HEAD)
NOT_ROUTED = ("CONNECT", "TRACE", "OPTIONS", "HEAD")
RESOURCES = (
    "orders", "users", "carts", "invoices", "images", "sessions", "tokens", "products",
    "reviews", "payments", "reports", "uploads", "feeds", "webhooks", "exports", "quotes",
)  # fmt: skip


@lru_cache(maxsize=1)
def _statuses() -> dict[str, tuple[dict[str, Any], ...]]:
    """The standard HTTP statuses by class, in code order."""
    from http import HTTPStatus

    out: dict[str, list[dict[str, Any]]] = {}
    for status in sorted(HTTPStatus, key=int):
        klass = CLASSES[int(status) // 100]
        out.setdefault(klass, []).append(
            {
                "name": status.phrase,
                "code": int(status),
                "klass": klass,
                "description": status.description or status.phrase,
            }
        )
    return {k: tuple(v) for k, v in out.items() if len(v) >= 5}


@lru_cache(maxsize=1)
def _methods() -> tuple[str, ...]:
    from http import HTTPMethod

    return tuple(sorted(m.value for m in HTTPMethod if m.value not in NOT_ROUTED))


def _rows(rng: random.Random) -> Rows:
    statuses = _statuses()
    groups: list[dict[str, Any]] = []
    # three classes with three to five statuses each: a join on one reads more statuses than
    # L2's two named ones, so L3 needs more tool calls than L2
    for klass in rng.sample(sorted(statuses), 3):
        groups += rng.sample(statuses[klass], min(len(statuses[klass]), rng.randint(3, 5)))
    rng.shuffle(groups)
    paths = rng.sample(
        [f"/{s}/v{v}/{r}" for s in SERVICES for v in (1, 2, 3) for r in RESOURCES], 150
    )
    items = []
    for gi, _ in enumerate(groups):
        for _ in range(rng.randint(5, 9)):
            path = paths.pop()
            items.append(
                {
                    "path": path,
                    "service": path.split("/")[1],
                    "method": rng.choice(_methods()),
                    "hits": rng.randrange(3, 60000),
                    "latency": rng.randrange(4, 9000),
                    "users": rng.randrange(1, 25000),
                    "burn": round(rng.uniform(0.0, 40.0), 2),
                    "group": gi,
                    "capacity": rng.randint(0, 3),
                }
            )
    owners = [{"name": n} for n in people(rng, 10)]
    return {"group": [dict(g) for g in groups], "item": items, "owner": owners}


DECLARATION = GrammarCategory(
    name="http_status_monitoring",
    description=(
        "Monitored endpoints by the real HTTP status they answer with (code, reason phrase, "
        "class); find endpoints by status facts, service, method, traffic and latency, and put "
        "on-call engineers on watch."
    ),
    group=Entity(
        names=(("status", "statuses"), ("http_status", "http_statuses")),
        label="name",
        attrs=(
            Attr("name", "text", ("reason_phrase", "phrase"), "reason phrase"),
            Attr("code", "int", ("code", "status_code"), "status code", rank=True),
            Attr("klass", "text", ("status_class", "family"), "status class", categorical=True),
            Attr(
                "description",
                "text",
                ("description", "meaning"),
                "description",
                optional=True,
            ),
        ),
    ),
    item=Entity(
        names=(("endpoint", "endpoints"), ("route", "routes")),
        label="path",
        attrs=(
            Attr("path", "text", ("path", "url_path"), "path"),
            Attr("service", "text", ("service", "owning_service"), "service", categorical=True),
            Attr("method", "text", ("method", "http_method"), "HTTP method", categorical=True),
            Attr(
                "hits",
                "int",
                ("responses_per_hour", "hourly_hits"),
                "responses per hour",
                rank=True,
            ),
            Attr(
                "latency",
                "int",
                ("p95_latency_ms", "latency_ms"),
                "p95 latency",
                unit="ms",
                rank=True,
                additive=False,
            ),
            Attr("users", "int", ("affected_users", "users_hit"), "affected users", rank=True),
            Attr(
                "burn",
                "real",
                ("error_budget_burn", "slo_burn_rate"),
                "error-budget burn rate",
                rank=True,
                optional=True,
                additive=False,
            ),
        ),
    ),
    owner=Entity(
        names=(("engineer", "engineers"), ("responder", "responders")),
        label="name",
        attrs=(Attr("name", "text", ("name", "full_name"), "name"),),
    ),
    write=WriteAction(
        verbs=("assign_watch", "page_responder", "start_watch"),
        capacity=("watch_slots", "open_watches", "pager_slots"),
        capacity_phrase="a free watch slot",
        record=(("watch", "watches"), ("escalation", "escalations")),
        undo_verbs=("cancel", "end"),
        phrase="put an on-call watch on an endpoint",
    ),
    rows=_rows,
)

CATEGORY = GrammarCatalog(DECLARATION)
