"""Export filters: which tasks leave the store, parsed from CLI text and streamed by keyset pages.

The store's :class:`~envfoundry.storage.store.TaskFilter` has no pass-rate band, so the
export builds its own ``SELECT`` over :class:`~envfoundry.storage.schema.TaskRow` with
keyset pagination in (environment, id) order (``(env_id, id) > last ORDER BY env_id, id
LIMIT page``, served by the ``ix_tasks_env_id_id`` index): memory stays flat however
large the store is, every page is one query on SQLite and PostgreSQL alike, and tasks
arrive grouped by environment, which lets deduplication scoped to one environment
forget each environment once it is done.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast

from pydantic import Field
from sqlalchemy import Select, select, tuple_

from envfoundry.errors import ConfigError, StoreError
from envfoundry.models import TaskStatus
from envfoundry.storage.schema import TASKS_BY_ENV_INDEX, TaskRow
from envfoundry.storage.store import Store, TaskFilter


class ExportFilter(TaskFilter):
    """Which tasks to export: the store's one filter, with the export's defaults.

    ``status`` defaults to accepted (``None`` means every status); ``limit`` caps the
    exported tasks after deduplication.
    """

    status: TaskStatus | None = TaskStatus.accepted
    limit: int | None = Field(default=None, ge=1)

    def describe(self) -> dict[str, Any]:
        """The filter as JSON for the manifest (``status: null`` means every status)."""
        return self.model_dump(mode="json")


# ----------------------------------------------------------------- parsing CLI text
def parse_int_range(text: str, option: str, lo: int = 1, hi: int = 100) -> tuple[int, int]:
    """``"3"`` → (3, 3); ``"2-4"`` → (2, 4); open ends ``"2-"``/``"-4"`` take ``lo``/``hi``."""
    a, b = _split_range(text, option)
    try:
        low = int(a) if a else lo
        high = int(b) if b else hi
    except ValueError:
        raise ConfigError(
            f"{option} {text!r}: use a level (3) or a range of whole numbers (2-4)"
        ) from None
    if not (lo <= low <= hi and lo <= high <= hi):
        raise ConfigError(f"{option} {text!r}: values must lie in {lo}-{hi}")
    if low > high:
        raise ConfigError(f"{option} {text!r}: the range is empty ({low} > {high})")
    return low, high


def parse_float_range(text: str, option: str) -> tuple[float, float]:
    """``"0.1-0.9"`` → (0.1, 0.9); a single value means exactly that rate; bounds in [0, 1]."""
    a, b = _split_range(text, option)
    try:
        low = float(a) if a else 0.0
        high = float(b) if b else 1.0
    except ValueError:
        raise ConfigError(
            f"{option} {text!r}: use a band of rates in [0, 1], e.g. 0.1-0.9"
        ) from None
    if not all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in (low, high)):
        raise ConfigError(f"{option} {text!r}: rates must lie in [0, 1]")
    if low > high:
        raise ConfigError(f"{option} {text!r}: the band is empty ({low} > {high})")
    return low, high


def _split_range(text: str, option: str) -> tuple[str, str]:
    t = text.strip()
    if not t or t == "-":
        raise ConfigError(f"{option}: empty value")
    if "-" not in t:
        return t, t
    a, _, b = t.partition("-")
    return a.strip(), b.strip()


def parse_since(text: str, option: str = "--since") -> datetime:
    """An ISO date (``2025-01-31``) or datetime; a value without a zone is taken as UTC."""
    t = text.strip()
    try:
        value = datetime.fromisoformat(t)
    except ValueError:
        try:
            value = datetime.combine(date.fromisoformat(t), datetime.min.time())
        except ValueError:
            raise ConfigError(
                f"{option} {text!r}: use an ISO date (2025-01-31) or datetime (2025-01-31T12:00)"
            ) from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# ----------------------------------------------------------------- streaming
@dataclass(frozen=True)
class StoredTask:
    """A task row as the export reads it: the row's id and columns, and its spec as JSON.

    ``spec`` is the stored ``TaskSpec`` JSON decoded into plain values (the store
    validated it when it was written, and :meth:`TaskSpec.model_dump_json` wrote every
    field, defaults included), so the export does not re-validate each task: it reads
    the same values ``TaskSpec.model_dump()`` would give.
    """

    id: str
    spec: dict[str, Any]
    status: str
    pass_rate: float | None
    run_id: str | None
    created_at: datetime | None


READ_ORDER = (TaskRow.env_id, TaskRow.id)  # served by TASKS_BY_ENV_INDEX
_COLUMNS = (
    TaskRow.id,
    TaskRow.env_id,
    TaskRow.spec_json,
    TaskRow.status,
    TaskRow.pass_rate,
    TaskRow.run_id,
    TaskRow.created_at,
)


def _query(flt: ExportFilter) -> Select[Any]:
    return cast("Select[Any]", select(*_COLUMNS)).where(*flt.conditions())


def iter_task_pages(
    store: Store, flt: ExportFilter, page: int = 2000
) -> Iterator[list[StoredTask]]:
    """Stream matching tasks grouped by environment (``env_id``, then ``id``), one page
    (one query) at a time.

    ``flt.limit`` is *not* applied here: the exporter counts exported tasks (after
    deduplication) and stops reading once it has enough.
    """
    if page < 1:
        raise ConfigError(f"page size must be positive, got {page}")
    # Without statistics SQLite picks ix_tasks_status for ``status = 'accepted'`` and sorts
    # every matching row (spec JSON included) for each page: quadratic in the store's size.
    # Walking the order's own index reads each row once, whatever the filters.
    base = _query(flt).with_hint(TaskRow, f"INDEXED BY {TASKS_BY_ENV_INDEX}", "sqlite")
    last: tuple[str, str] | None = None
    while True:
        stmt = base.order_by(*READ_ORDER).limit(page)
        if last is not None:
            stmt = stmt.where(tuple_(*READ_ORDER) > tuple_(*last))
        with store.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        if not rows:
            return
        yield [_stored(r) for r in rows]
        last = (rows[-1].env_id, rows[-1].id)


def count_matching(store: Store, flt: ExportFilter) -> int:
    """How many tasks the filter selects (before deduplication and ``limit``)."""
    from sqlalchemy import func

    sub = _query(flt).subquery()
    with store.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(sub)) or 0)


def _stored(row: Any) -> StoredTask:
    try:
        spec = json.loads(row.spec_json)
    except ValueError as exc:
        raise StoreError(f"task {row.id}: stored spec is not JSON ({exc})") from None
    if not isinstance(spec, dict) or not spec.keys() >= _SPEC_KEYS:
        raise StoreError(f"task {row.id}: stored spec is not a task spec")
    created = row.created_at
    if created is not None and created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return StoredTask(row.id, spec, row.status, row.pass_rate, row.run_id, created)


# Every key the export reads from a stored spec (model_dump_json writes them all).
_SPEC_KEYS = frozenset(
    (
        "env_id",
        "family",
        "category",
        "prompt",
        "answer_schema",
        "reference_answer",
        "verifier",
        "difficulty",
        "parent_task_id",
        "provenance",
    )
)
