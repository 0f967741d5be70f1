"""The repository API of the task store: the only way other packages touch the database.

Writes are idempotent by content id (``INSERT … ON CONFLICT DO NOTHING``) and
transactional: everything inside :meth:`Store.transaction` lands together or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from sqlalchemy import Connection, Engine, Select, func, select, update
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from envfoundry.config import Settings
from envfoundry.errors import ConfigError, NotFoundError, StoreError
from envfoundry.models import (
    FAMILY_NAME_RE,
    Attempt,
    EnvironmentSpec,
    RejectionCategory,
    TaskSpec,
    TaskStatus,
)
from envfoundry.storage import migrate
from envfoundry.storage.blob_url import open_blob_store
from envfoundry.storage.blobs import BlobStore
from envfoundry.storage.db import WRITE_OPTION, make_engine
from envfoundry.storage.logs import LLMCallLog, RunLog, insert_ignore
from envfoundry.storage.schema import (
    AttemptRow,
    EnvironmentRow,
    LLMCallRow,
    TaskRow,
    ToolRow,
)

# Lifecycle: proposed → verified → accepted | rejected. An accepted task may still be
# rejected later (e.g. pass@k filtering finds it too easy); a rejected one is final.
ALLOWED_TRANSITIONS: dict[TaskStatus, set[TaskStatus]] = {
    TaskStatus.proposed: {TaskStatus.verified, TaskStatus.accepted, TaskStatus.rejected},
    TaskStatus.verified: {TaskStatus.accepted, TaskStatus.rejected},
    TaskStatus.accepted: {TaskStatus.rejected},
    TaskStatus.rejected: set(),
}


@dataclass(frozen=True)
class TaskRecord:
    spec: TaskSpec
    status: TaskStatus
    rejection_category: str | None
    rejection_reason: str | None
    pass_rate: float | None
    run_id: str | None
    created_at: datetime
    signals: dict[str, Any] | None = None  # measured difficulty, with its "label"

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def difficulty_label(self) -> str | None:
        return (self.signals or {}).get("label")

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "env_id": self.spec.env_id,
            "family": self.spec.family,
            "category": self.spec.category,
            "difficulty": self.spec.difficulty,
            "status": self.status.value,
            "rejection_category": self.rejection_category,
            "rejection_reason": self.rejection_reason,
            "pass_rate": self.pass_rate,
            "difficulty_label": self.difficulty_label,
            "signals": self.signals,
            "parent_task_id": self.spec.parent_task_id,
            "run_id": self.run_id,
        }


@dataclass(frozen=True)
class EnvironmentRecord:
    spec: EnvironmentSpec
    run_id: str | None
    created_at: datetime

    @property
    def id(self) -> str:
        return self.spec.id


class TaskFilter(BaseModel):
    """The one task filter (CLI lists, stats, the export): every field is optional.

    ``conditions()`` is the only translation into SQL, so every command that filters
    tasks selects the same ones.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    family: str | None = Field(default=None, pattern=FAMILY_NAME_RE)
    category: str | None = None
    status: TaskStatus | None = None
    difficulty_min: int | None = Field(default=None, ge=1, le=100)
    difficulty_max: int | None = Field(default=None, ge=1, le=100)
    pass_rate_min: float | None = Field(default=None, ge=0.0, le=1.0)
    pass_rate_max: float | None = Field(default=None, ge=0.0, le=1.0)
    env_id: str | None = None
    run_id: str | None = None
    since: datetime | None = None

    @model_validator(mode="after")
    def _ranges(self) -> Self:
        lo, hi = self.difficulty_min, self.difficulty_max
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"difficulty range {lo}-{hi} is empty")
        plo, phi = self.pass_rate_min, self.pass_rate_max
        if plo is not None and phi is not None and plo > phi:
            raise ValueError(f"pass-rate band {plo}-{phi} is empty")
        return self

    @classmethod
    def create(cls, **fields: Any) -> Self:
        """Build a filter, turning invalid values into one :class:`ConfigError` line."""
        try:
            return cls(**fields)
        except ValidationError as exc:
            parts = [
                f"{'.'.join(str(p) for p in err['loc']) or 'filter'}: {err['msg']}"
                for err in exc.errors()
            ]
            raise ConfigError("invalid filter: " + "; ".join(parts)) from None

    @property
    def has_pass_rate_band(self) -> bool:
        return self.pass_rate_min is not None or self.pass_rate_max is not None

    def conditions(self) -> list[Any]:
        """The filter as SQL conditions on ``tasks``."""
        out: list[Any] = []
        if self.family is not None:
            out.append(TaskRow.family == self.family)
        if self.category:
            out.append(TaskRow.category == self.category)
        if self.status is not None:
            out.append(TaskRow.status == self.status.value)
        if self.difficulty_min is not None:
            out.append(TaskRow.difficulty >= self.difficulty_min)
        if self.difficulty_max is not None:
            out.append(TaskRow.difficulty <= self.difficulty_max)
        if self.has_pass_rate_band:
            # A band excludes tasks without a pass rate: NULL compares false in SQL.
            out.append(TaskRow.pass_rate.is_not(None))
            if self.pass_rate_min is not None:
                out.append(TaskRow.pass_rate >= self.pass_rate_min)
            if self.pass_rate_max is not None:
                out.append(TaskRow.pass_rate <= self.pass_rate_max)
        if self.since is not None:
            # aware values compare right on PostgreSQL; SQLite keeps naive UTC text
            since = self.since if self.since.tzinfo else self.since.replace(tzinfo=UTC)
            out.append(TaskRow.created_at >= since.astimezone(UTC))
        if self.run_id:
            out.append(TaskRow.run_id == self.run_id)
        if self.env_id:
            out.append(TaskRow.env_id == self.env_id)
        return out


def _now() -> datetime:
    return datetime.now(UTC)


class Store(RunLog, LLMCallLog):
    """Task store over SQLAlchemy (SQLite or PostgreSQL) plus a blob store (see ``blobs``)."""

    def __init__(
        self, url: str, blob_dir: Path | str | None = None, *, blob_url: str | None = None
    ) -> None:
        self.url = url
        self.engine: Engine = make_engine(url)
        self._writer = self.engine.execution_options(**{WRITE_OPTION: True})
        if blob_dir is None:
            db = self.engine.url.database
            base = (
                Path(db).parent
                if self.engine.url.get_backend_name() == "sqlite" and db
                else Path(".")
            )
            blob_dir = base / "blobs"
        self.blobs: BlobStore = open_blob_store(blob_url, blob_dir, url, self.engine)

    @classmethod
    def from_settings(cls, settings: Settings) -> Store:
        return cls(settings.database_url, settings.blobs_path, blob_url=settings.blob_url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- schema
    def upgrade(self) -> tuple[str | None, str | None]:
        try:
            return migrate.upgrade(self.engine)
        except OperationalError as exc:
            raise StoreError(f"cannot reach the store at {self.safe_url}: {exc.orig}") from None
        except SQLAlchemyError as exc:
            raise StoreError(f"schema migration failed on {self.safe_url}: {exc}") from None

    def schema_status(self) -> dict[str, Any]:
        try:
            current = migrate.current_revision(self.engine)
        except OperationalError as exc:
            raise StoreError(f"cannot reach the store at {self.safe_url}: {exc.orig}") from None
        head = migrate.head_revision()
        return {"current": current, "head": head, "up_to_date": current == head}

    def ensure_schema(self) -> None:
        """Upgrade to the newest schema (cheap when already there)."""
        if not self.schema_status()["up_to_date"]:
            self.upgrade()

    @property
    def safe_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    # ---------------------------------------------------------------- writes
    @contextmanager
    def transaction(self) -> Iterator[StoreTx]:
        """Everything written through the yielded handle commits together or not at all."""
        try:
            with self._writer.begin() as conn:
                yield StoreTx(self, conn)
        except SQLAlchemyError as exc:
            raise StoreError(f"store write failed: {exc}") from exc

    def put_environment(self, env: EnvironmentSpec, run_id: str | None = None) -> bool:
        with self.transaction() as tx:
            return tx.put_environment(env, run_id)

    def put_task(
        self, task: TaskSpec, status: TaskStatus = TaskStatus.proposed, run_id: str | None = None
    ) -> bool:
        with self.transaction() as tx:
            return tx.put_tasks([task], status, run_id) > 0

    def put_tasks(
        self,
        tasks: Sequence[TaskSpec],
        status: TaskStatus = TaskStatus.proposed,
        run_id: str | None = None,
    ) -> int:
        with self.transaction() as tx:
            return tx.put_tasks(tasks, status, run_id)

    def put_attempts(self, attempts: Sequence[Attempt]) -> int:
        with self.transaction() as tx:
            return tx.put_attempts(attempts)

    def set_task_signals(self, task_id: str, signals: dict[str, Any]) -> None:
        with self.transaction() as tx:
            tx.set_task_signals(task_id, signals)

    def set_task_status(
        self,
        task_id: str,
        status: TaskStatus,
        rejection_category: RejectionCategory | None = None,
        reason: str | None = None,
        pass_rate: float | None = None,
    ) -> None:
        with self.transaction() as tx:
            tx.set_task_status(task_id, status, rejection_category, reason, pass_rate)

    # ---------------------------------------------------------------- reads
    def existing_task_ids(self, ids: Iterable[str]) -> set[str]:
        return self._existing(TaskRow.id, ids)

    def existing_env_ids(self, ids: Iterable[str]) -> set[str]:
        return self._existing(EnvironmentRow.id, ids)

    def _existing(self, column: Any, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are stored, asked in chunks that fit any bind-parameter limit."""
        wanted = list(ids)
        found: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                found.update(conn.scalars(select(column).where(column.in_(wanted[i : i + 500]))))
        return found

    def _by_id(self, model: Any, key: str, what: str) -> Any:
        """The row whose id is ``key``, or the one row whose id starts with it."""
        with self.engine.connect() as conn:
            row = conn.execute(select(model).where(model.id == key)).first()
            if row is not None:
                return row
            if len(key) >= 4:  # a unique prefix names a row as well as its id
                rows = conn.execute(select(model).where(model.id.startswith(key)).limit(3)).all()
                if len(rows) == 1:
                    return rows[0]
                if rows:
                    ids = ", ".join(r.id for r in rows[:2])
                    raise NotFoundError(f"{what} id prefix {key!r} is ambiguous ({ids}, …)")
        raise NotFoundError(f"no {what} with id {key!r}")

    def get_task(self, task_id: str) -> TaskRecord:
        """A task by id (or by a unique prefix of its id)."""
        return _task_record(self._by_id(TaskRow, task_id, "task"))

    def get_environment(self, env_id: str) -> EnvironmentRecord:
        """An environment by id (or by a unique prefix of its id)."""
        row = self._by_id(EnvironmentRow, env_id, "environment")
        return EnvironmentRecord(
            spec=EnvironmentSpec.model_validate_json(row.spec_json),
            run_id=row.run_id,
            created_at=row.created_at,
        )

    def list_environments(
        self,
        family: str | None = None,
        category: str | None = None,
        limit: int | None = None,
        run_id: str | None = None,
    ) -> list[EnvironmentRecord]:
        stmt = select(EnvironmentRow).order_by(EnvironmentRow.created_at, EnvironmentRow.id)
        if run_id:
            stmt = stmt.where(EnvironmentRow.run_id == run_id)
        if family:
            stmt = stmt.where(EnvironmentRow.family == family)
        if category:
            stmt = stmt.where(EnvironmentRow.category == category)
        if limit:
            stmt = stmt.limit(limit)
        with self.engine.connect() as conn:
            return [
                EnvironmentRecord(
                    spec=EnvironmentSpec.model_validate_json(r.spec_json),
                    run_id=r.run_id,
                    created_at=r.created_at,
                )
                for r in conn.execute(stmt)
            ]

    def _task_query(self, flt: TaskFilter | None) -> Select[Any]:
        return select(TaskRow).where(*(flt or TaskFilter()).conditions())

    def list_tasks(
        self, flt: TaskFilter | None = None, limit: int | None = None, offset: int = 0
    ) -> list[TaskRecord]:
        stmt = self._task_query(flt).order_by(TaskRow.id).offset(offset)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.engine.connect() as conn:
            return [_task_record(r) for r in conn.execute(stmt)]

    def iter_tasks(self, flt: TaskFilter | None = None, batch: int = 2000) -> Iterator[TaskRecord]:
        """Stream tasks in id order with keyset pagination (flat memory on large stores)."""
        last: str | None = None
        while True:
            stmt = self._task_query(flt).order_by(TaskRow.id).limit(batch)
            if last is not None:
                stmt = stmt.where(TaskRow.id > last)
            with self.engine.connect() as conn:
                rows = conn.execute(stmt).all()
            if not rows:
                return
            for r in rows:
                yield _task_record(r)
            last = rows[-1].id

    def count_tasks(self, flt: TaskFilter | None = None) -> int:
        sub = self._task_query(flt).subquery()
        with self.engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(sub)) or 0)

    def list_attempts(self, task_id: str) -> list[Attempt]:
        stmt = (
            select(AttemptRow).where(AttemptRow.task_id == task_id).order_by(AttemptRow.created_at)
        )
        with self.engine.connect() as conn:
            return [_attempt(r) for r in conn.execute(stmt)]

    def reference_attempts(self, task_ids: Iterable[str]) -> dict[str, Attempt]:
        """The ``reference`` attempt of each of ``task_ids`` that has one (asked in chunks)."""
        wanted, out = list(task_ids), {}
        with self.engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                stmt = select(AttemptRow).where(
                    AttemptRow.label == "reference", AttemptRow.task_id.in_(wanted[i : i + 500])
                )
                out.update({r.task_id: _attempt(r) for r in conn.execute(stmt)})
        return out

    def get_attempt(self, attempt_id: str) -> Attempt:
        """An attempt by id (or by a unique prefix of its id)."""
        return _attempt(self._by_id(AttemptRow, attempt_id, "attempt"))

    def stats(self) -> dict[str, Any]:
        """Counts by family, category, status and rejection reason."""
        with self.engine.connect() as conn:
            by = conn.execute(
                select(
                    TaskRow.family,
                    TaskRow.category,
                    TaskRow.status,
                    TaskRow.rejection_category,
                    func.count(),
                ).group_by(
                    TaskRow.family, TaskRow.category, TaskRow.status, TaskRow.rejection_category
                )
            ).all()
            envs = conn.execute(
                select(EnvironmentRow.family, func.count()).group_by(EnvironmentRow.family)
            ).all()
            n_attempts = int(conn.scalar(select(func.count()).select_from(AttemptRow)) or 0)
            llm = conn.execute(
                select(
                    func.count(),
                    func.coalesce(func.sum(LLMCallRow.prompt_tokens), 0),
                    func.coalesce(func.sum(LLMCallRow.completion_tokens), 0),
                    func.coalesce(func.sum(LLMCallRow.cost_usd), 0.0),
                )
            ).one()
        out: dict[str, Any] = {
            "tasks": 0,
            "environments": {f: n for f, n in envs},
            "attempts": n_attempts,
            "by_status": {},
            "by_family": {},
            "by_category": {},
            "rejections": {},
            "llm_calls": {
                "count": int(llm[0]),
                "prompt_tokens": int(llm[1]),
                "completion_tokens": int(llm[2]),
                "cost_usd": float(llm[3] or 0.0),
            },
        }
        for family, category, status, rej, n in by:
            out["tasks"] += n
            out["by_status"][status] = out["by_status"].get(status, 0) + n
            fam = out["by_family"].setdefault(family, {})
            fam[status] = fam.get(status, 0) + n
            cat = out["by_category"].setdefault(f"{family}/{category}", {})
            cat[status] = cat.get(status, 0) + n
            if status == TaskStatus.rejected.value:
                key = rej or "unspecified"
                out["rejections"][key] = out["rejections"].get(key, 0) + n
        return out


class StoreTx:
    """Write handle inside one transaction (see :meth:`Store.transaction`)."""

    def __init__(self, store: Store, conn: Connection) -> None:
        self.store = store
        self.conn = conn

    def put_environment(self, env: EnvironmentSpec, run_id: str | None = None) -> bool:
        res = self.conn.execute(
            insert_ignore(self.conn, EnvironmentRow).returning(EnvironmentRow.id),
            {
                "id": env.id,
                "family": env.family,
                "category": env.category,
                "name": env.name,
                "version": env.version,
                "image": env.image,
                "state_blob": env.state_blob,
                "parent_env_id": env.parent_env_id,
                "spec_json": env.model_dump_json(),
                "run_id": run_id,
                "created_at": _now(),
            },
        )
        inserted = res.first() is not None
        if inserted and env.tools:
            self.conn.execute(
                insert_ignore(self.conn, ToolRow),
                [
                    {
                        "env_id": env.id,
                        "name": t.name,
                        "tool_id": t.id,
                        "mutates": t.mutates,
                        "spec_json": t.model_dump_json(),
                    }
                    for t in env.tools
                ],
            )
        return inserted

    def put_tasks(
        self,
        tasks: Sequence[TaskSpec],
        status: TaskStatus = TaskStatus.proposed,
        run_id: str | None = None,
        rejection_category: RejectionCategory | None = None,
        reason: str | None = None,
        pass_rate: float | None = None,
        signals: dict[str, Any] | None = None,
    ) -> int:
        if not tasks:
            return 0
        now = _now()
        rows = [
            {
                "id": t.id,
                "env_id": t.env_id,
                "family": t.family,
                "category": t.category,
                "difficulty": t.difficulty,
                "status": status.value,
                "rejection_category": rejection_category.value if rejection_category else None,
                "rejection_reason": reason,
                "parent_task_id": t.parent_task_id,
                "pass_rate": pass_rate,
                "spec_json": t.model_dump_json(),
                "run_id": run_id,
                "created_at": now,
                "updated_at": now,
            }
            for t in tasks
        ]
        if signals:  # (the columns only named when set: older schemas take the rest)
            extra: dict[str, Any] = {"signals_json": json.dumps(signals, sort_keys=True)}
            extra["difficulty_label"] = signals.get("label")
            rows = [{**r, **extra} for r in rows]
        res = self.conn.execute(insert_ignore(self.conn, TaskRow).returning(TaskRow.id), rows)
        return len(res.all())

    def put_attempts(self, attempts: Sequence[Attempt]) -> int:
        if not attempts:
            return 0
        now = _now()
        rows = [
            {
                "id": a.id,
                "task_id": a.task_id,
                "kind": a.kind.value,
                "label": a.label,
                "passed": a.verdict.passed,
                "reward": a.verdict.reward,
                "infra_error": a.verdict.infra_error,
                "reason": a.verdict.reason,
                "verdict_json": a.verdict.model_dump_json(),
                "answer_json": json.dumps(a.answer, sort_keys=True),
                "duration_s": a.duration_s,
                "trajectory_blob": a.trajectory_blob,
                "run_id": a.run_id,
                "created_at": now,
            }
            for a in attempts
        ]
        res = self.conn.execute(insert_ignore(self.conn, AttemptRow).returning(AttemptRow.id), rows)
        return len(res.all())

    def set_task_status(
        self,
        task_id: str,
        status: TaskStatus,
        rejection_category: RejectionCategory | None = None,
        reason: str | None = None,
        pass_rate: float | None = None,
    ) -> None:
        status = TaskStatus(status)
        if rejection_category is not None:
            rejection_category = RejectionCategory(rejection_category)
        current = self.conn.scalar(select(TaskRow.status).where(TaskRow.id == task_id))
        if current is None:
            raise NotFoundError(f"no task with id {task_id!r}")
        cur = TaskStatus(current)
        if cur == status and status != TaskStatus.rejected:
            values: dict[str, Any] = {"updated_at": _now()}
        elif status not in ALLOWED_TRANSITIONS[cur]:
            raise StoreError(f"task {task_id}: cannot move from {cur.value} to {status.value}")
        else:
            values = {"status": status.value, "updated_at": _now()}
            if status == TaskStatus.rejected:
                if rejection_category is None:
                    raise StoreError(f"task {task_id}: a rejection needs a category")
                values["rejection_category"] = rejection_category.value
                values["rejection_reason"] = reason
        if pass_rate is not None:
            values["pass_rate"] = pass_rate
        self.conn.execute(update(TaskRow).where(TaskRow.id == task_id).values(**values))

    def set_task_signals(self, task_id: str, signals: dict[str, Any]) -> None:
        """Replace a task's measured difficulty signals (and the label they carry)."""
        values = {
            "signals_json": json.dumps(signals, sort_keys=True),
            "difficulty_label": signals.get("label"),
        }
        self.conn.execute(update(TaskRow).where(TaskRow.id == task_id).values(**values))


def _task_record(row: Any) -> TaskRecord:
    return TaskRecord(
        spec=TaskSpec.model_validate_json(row.spec_json),
        status=TaskStatus(row.status),
        rejection_category=row.rejection_category,
        rejection_reason=row.rejection_reason,
        pass_rate=row.pass_rate,
        run_id=row.run_id,
        created_at=row.created_at,
        signals=json.loads(row.signals_json) if row.signals_json else None,
    )


def _attempt(row: Any) -> Attempt:
    from envfoundry.models import Verdict

    return Attempt(
        task_id=row.task_id,
        kind=row.kind,
        label=row.label,
        answer=json.loads(row.answer_json),
        verdict=Verdict.model_validate_json(row.verdict_json),
        duration_s=row.duration_s,
        trajectory_blob=row.trajectory_blob,
        run_id=row.run_id,
    )
