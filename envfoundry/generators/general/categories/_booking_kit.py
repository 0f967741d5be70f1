"""Booking-style additions to the catalog kit: checked templates, level rules, names, drafts.

Used by calendar_scheduling, clinic_appointments, warehouse_inventory, course_enrollment,
real_estate_search and restaurant_reservations; the shared pieces (tool specs, schemas,
databases, literal checks) come from ``_procedural_kit``. Generated code is rendered from templates
whose ``{{NAME}}`` placeholders become Python literals (``repr``), so task parameters are
embedded as data and never spliced in as code.
"""

from __future__ import annotations

import io
import random
import re
import sqlite3
import tokenize
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from envfoundry.generators.general.base import (
    MAX_LEVEL,
    MIN_LEVEL,
    EnvironmentDraft,
    TaskDraft,
    Toolset,
)
from envfoundry.generators.general.categories._procedural_kit import (
    _PLACEHOLDER,
    _check_literal,
    array,
    check_item,
    db_bytes,
    haversine_km,
    new_db,
)
from envfoundry.generators.general.categories._procedural_kit import insert as insert_rows
from envfoundry.generators.general.categories._procedural_kit import obj as obj_schema
from envfoundry.generators.general.categories._procedural_kit import tool as spec
from envfoundry.models import ToolSpec

__all__ = [
    "check_item",
    "check_levels",
    "db_bytes",
    "draft",
    "haversine_km",
    "hhmm",
    "insert_rows",
    "int_list",
    "new_db",
    "obj_schema",
    "people",
    "render",
    "spec",
    "str_list",
    "task",
]


@lru_cache(maxsize=1024)
def _check_template(template: str) -> None:
    """Placeholders may only stand where an expression does, never inside a string literal."""
    marked = _PLACEHOLDER.sub(lambda m: f"__ef_param_{m.group(1)}__", template)
    for tok in tokenize.generate_tokens(io.StringIO(marked).readline):
        if tok.type == tokenize.STRING and "__ef_param_" in tok.string:
            raise ValueError(f"template placeholder inside a string literal at line {tok.start[0]}")


def render(template: str, **params: Any) -> str:
    """``template`` with each ``{{NAME}}`` replaced by ``repr(params[NAME])``."""
    _check_template(template)

    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in params:
            raise KeyError(f"template parameter {name} is missing")
        _check_literal(params[name])
        return repr(params[name])

    return _PLACEHOLDER.sub(sub, template)


def str_list(min_items: int = 0, max_items: int | None = None) -> dict[str, Any]:
    return array({"type": "string"}, min_items, max_items)


def int_list(min_items: int = 0, max_items: int | None = None) -> dict[str, Any]:
    return array({"type": "integer"}, min_items, max_items)


def check_levels(levels: Iterable[int] | None) -> tuple[int, ...]:
    if levels is None:
        return tuple(range(MIN_LEVEL, MAX_LEVEL + 1))
    out = tuple(levels)
    for level in out:
        if isinstance(level, bool) or not isinstance(level, int):
            raise ValueError(f"level must be an int, got {level!r}")
        if not MIN_LEVEL <= level <= MAX_LEVEL:
            raise ValueError(f"unknown level {level}: levels run from {MIN_LEVEL} to {MAX_LEVEL}")
    if not out:
        raise ValueError("levels must not be empty")
    return out


def task(
    level: int,
    prompt: str,
    schema: dict[str, Any],
    solution: str,
    verifier: str,
    perturbed: str,
    *,
    toolset_version: int = 1,
    unique: bool = False,
    **metadata: Any,
) -> TaskDraft:
    return TaskDraft(
        level=level,
        prompt=prompt,
        answer_schema=schema,
        solution_source=solution,
        verifier_source=verifier,
        perturbed_solution_source=perturbed,
        toolset_version=toolset_version,
        unique_answer=unique,
        metadata=dict(metadata),
    )


def draft(
    category: str,
    seed: int,
    index: int,
    conn: sqlite3.Connection,
    v1: tuple[str, Sequence[ToolSpec]],
    v2_extra: tuple[str, Sequence[ToolSpec]],
    made: dict[int, TaskDraft],
    levels: Iterable[int] | None,
) -> EnvironmentDraft:
    """Assemble an environment draft: v1 tools, v2 = v1 + extra tools, and the chosen levels."""
    wanted = check_levels(levels)
    source_v1, tools_v1 = v1
    source_v2 = source_v1 + "\n\n" + v2_extra[0].lstrip("\n")
    toolsets = (
        Toolset(version=1, source=source_v1, tools=tuple(tools_v1)),
        Toolset(version=2, source=source_v2, tools=(*tools_v1, *v2_extra[1])),
    )
    tasks = tuple(made[level] for level in wanted)
    return EnvironmentDraft(
        category=category,
        name=f"{category}-{seed}-{index}",
        db_bytes=db_bytes(conn),
        toolsets=toolsets,
        tasks=tasks,
        provenance={"driver": "procedural", "seed": seed, "index": index},
    )


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@lru_cache(maxsize=1)
def _name_parts() -> tuple[tuple[str, ...], tuple[str, ...]]:
    from faker.providers.person.en_US import Provider

    first = tuple(sorted(n for n in Provider.first_names if n.isascii()))
    last = tuple(sorted(n for n in Provider.last_names if n.isascii()))
    return first, last


def people(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct realistic full names from Faker's en_US name lists, fast and seeded.

    ``refdata.person_names`` drives a whole Faker instance (about 0.1 ms a name); categories
    that need dozens of names per environment draw from the same lists directly.
    """
    first, last = _name_parts()
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        name = f"{rng.choice(first)} {rng.choice(last)}"
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out
