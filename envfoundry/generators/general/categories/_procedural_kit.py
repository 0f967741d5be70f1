"""Shared plumbing of the catalog categories: templates, tool specs, schemas and draft assembly.

Used by trip_planning, airline_booking, retail_orders, car_rental, event_ticketing and
library_loans. Generated code is rendered from templates whose ``{{NAME}}`` placeholders
become Python literals (``repr``), so task parameters enter generated code as data only.
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from envfoundry.generators.general.base import (
    MAX_LEVEL,
    MIN_LEVEL,
    EnvironmentDraft,
    TaskDraft,
    Toolset,
)
from envfoundry.models import ToolSpec

_PLACEHOLDER = re.compile(r"\{\{([A-Z_][A-Z0-9_]*)\}\}")
_LITERALS = (str, int, float, bool, type(None), list, tuple, dict)

# Verifier helpers shared by every category's generated verifiers (prepended as source).
VERIFY_PRELUDE = """
def _int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _int_list(value, n=None):
    if not isinstance(value, list) or not all(_int(v) for v in value):
        return False
    return n is None or len(value) == n
"""


def sandbox_reader(category: str) -> Callable[[str], str]:
    """A reader of the category's in-sandbox source files (``sandbox/<category>/<name>``)."""
    folder = Path(__file__).parent / "sandbox" / category

    def read(name: str) -> str:
        return (folder / name).read_text(encoding="utf-8")

    return read


def _check_literal(value: Any) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("template parameters must be finite numbers")
    if not isinstance(value, _LITERALS):
        raise ValueError(f"template parameter of type {type(value).__name__} is not a literal")
    if isinstance(value, list | tuple):
        for item in value:
            _check_literal(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_literal(key)
            _check_literal(item)


def render(template: str, **params: Any) -> str:
    """``template`` with each ``{{NAME}}`` replaced by ``repr(params[NAME])``."""

    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in params:
            raise KeyError(f"template parameter {name} is missing")
        _check_literal(params[name])
        return repr(params[name])

    return _PLACEHOLDER.sub(sub, template).strip("\n") + "\n"


def tool(
    name: str,
    description: str,
    properties: dict[str, Any] | None = None,
    required: Sequence[str] = (),
    mutates: bool = False,
) -> ToolSpec:
    """A tool spec with a closed object schema."""
    return ToolSpec(
        name=name,
        description=description,
        parameters={
            "type": "object",
            "properties": properties or {},
            "required": list(required),
            "additionalProperties": False,
        },
        mutates=mutates,
    )


def obj(properties: dict[str, Any], required: Iterable[str] | None = None) -> dict[str, Any]:
    """A closed JSON-Schema object; every property required unless told otherwise."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties if required is None else required),
        "additionalProperties": False,
    }


def array(
    items: dict[str, Any], min_items: int = 0, max_items: int | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "array", "items": items, "minItems": min_items}
    if max_items is not None:
        out["maxItems"] = max_items
    return out


INT: dict[str, Any] = {"type": "integer"}
STR: dict[str, Any] = {"type": "string"}
NUM: dict[str, Any] = {"type": "number"}


def new_db(schema_sql: str) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.executescript(schema_sql)
    return conn


def insert(conn: sqlite3.Connection, table: str, rows: Sequence[Sequence[Any]]) -> None:
    if rows:
        marks = ",".join("?" * len(rows[0]))
        conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def db_bytes(conn: sqlite3.Connection) -> bytes:
    """Commit, serialise and close an in-memory database (deterministic bytes)."""
    conn.commit()
    data = conn.serialize()
    conn.close()
    return bytes(data)


def check_item(seed: int, index: int) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an int, got {seed!r}")
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ValueError(f"index must be a non-negative int, got {index!r}")


def check_levels(levels: Iterable[int] | None) -> tuple[int, ...]:
    if levels is None:
        return tuple(range(MIN_LEVEL, MAX_LEVEL + 1))
    out = tuple(levels)
    for level in out:
        if isinstance(level, bool) or not isinstance(level, int):
            raise ValueError(f"level must be an int, got {level!r}")
        if not MIN_LEVEL <= level <= MAX_LEVEL:
            raise ValueError(f"unknown level {level}: levels run from {MIN_LEVEL} to {MAX_LEVEL}")
    if not out or len(set(out)) != len(out):
        raise ValueError("levels must be a non-empty list of distinct levels")
    return out


def task(
    level: int,
    prompt: str,
    schema: dict[str, Any],
    solve: str,
    verify: str,
    perturbed: str,
    params: dict[str, Any],
    *,
    toolset_version: int = 1,
    unique: bool = False,
) -> TaskDraft:
    """A task whose three sources are rendered from templates with ``params``."""
    return TaskDraft(
        level=level,
        prompt=prompt,
        answer_schema=schema,
        solution_source=render(solve, **params),
        verifier_source=render(VERIFY_PRELUDE + verify, **params),
        perturbed_solution_source=render(perturbed, **params),
        toolset_version=toolset_version,
        unique_answer=unique,
    )


def assemble(
    category: str,
    seed: int,
    index: int,
    conn: sqlite3.Connection,
    v1: tuple[str, Sequence[ToolSpec]],
    v2_extra: tuple[str, Sequence[ToolSpec]],
    tasks: dict[int, TaskDraft],
    levels: tuple[int, ...],
    **provenance: Any,
) -> EnvironmentDraft:
    """The draft: database bytes, v1 tools, v2 = v1 + extra tools, the chosen levels."""
    data = db_bytes(conn)
    source_v1 = v1[0].strip("\n") + "\n"
    source_v2 = source_v1 + "\n\n" + v2_extra[0].strip("\n") + "\n"
    toolsets = (
        Toolset(version=1, source=source_v1, tools=tuple(v1[1])),
        Toolset(version=2, source=source_v2, tools=(*v1[1], *v2_extra[1])),
    )
    return EnvironmentDraft(
        category=category,
        name=f"{category}-{seed}-{index}",
        db_bytes=data,
        toolsets=toolsets,
        tasks=tuple(tasks[level] for level in levels),
        provenance={"driver": "procedural", "seed": seed, "index": index, **provenance},
    )


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r1, r2 = math.radians(lat1), math.radians(lat2)
    dl, dp = math.radians(lon2 - lon1), r2 - r1
    a = math.sin(dp / 2) ** 2 + math.cos(r1) * math.cos(r2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))
