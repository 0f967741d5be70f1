"""The store's logs beside the tasks: pipeline runs (with their owning process) and LLM calls.

Mixed into :class:`~envfoundry.storage.store.Store`, which provides ``engine`` and
``transaction()``.
"""

from __future__ import annotations

import json
import uuid
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select, update
from sqlalchemy import delete as sa_delete
from sqlalchemy import insert as sa_insert
from sqlalchemy.dialects import postgresql, sqlite

from envfoundry.errors import NotFoundError
from envfoundry.ids import canonical_json
from envfoundry.storage.schema import Base, LLMCallRow, PipelineRunRow

if TYPE_CHECKING:
    from sqlalchemy import Engine


def _now() -> datetime:
    return datetime.now(UTC)


def insert_ignore(conn: Connection, model: type[Base]) -> Any:
    """INSERT … ON CONFLICT DO NOTHING for the connection's dialect."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(model).on_conflict_do_nothing()
    return sqlite.insert(model).on_conflict_do_nothing()


class _Base:
    engine: Engine

    if TYPE_CHECKING:

        def transaction(self) -> AbstractContextManager[Any]: ...


class RunLog(_Base):
    """Pipeline runs: status, config, summary, owner (host, pid) and heartbeat."""

    def start_run(
        self,
        config: dict[str, Any],
        run_id: str | None = None,
        *,
        host: str | None = None,
        pid: int | None = None,
    ) -> str:
        run_id = run_id or uuid.uuid4().hex
        now = _now()
        with self.transaction() as tx:
            tx.conn.execute(
                insert_ignore(tx.conn, PipelineRunRow),
                [
                    {
                        "id": run_id,
                        "status": "running",
                        "config_json": canonical_json(config),
                        "started_at": now,
                        "host": host,
                        "pid": pid,
                        "heartbeat_at": now,
                    }
                ],
            )
        return run_id

    def heartbeat_run(self, run_id: str) -> None:
        """Say the run's owner is alive (runs without a fresh heartbeat count as stale)."""
        with self.transaction() as tx:
            tx.conn.execute(
                update(PipelineRunRow)
                .where(PipelineRunRow.id == run_id)
                .values(heartbeat_at=_now())
            )

    def set_run_status(self, run_id: str, status: str, *, only_if: str | None = None) -> bool:
        """Change a run's status (e.g. ``interrupting``); False when ``only_if`` did not match."""
        stmt = update(PipelineRunRow).where(PipelineRunRow.id == run_id)
        if only_if is not None:
            stmt = stmt.where(PipelineRunRow.status == only_if)
        with self.transaction() as tx:
            return bool(tx.conn.execute(stmt.values(status=status)).rowcount)

    def run_status(self, run_id: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(
                select(PipelineRunRow.status).where(PipelineRunRow.id == run_id)
            ).scalar_one_or_none()

    def finish_run(self, run_id: str, status: str, summary: dict[str, Any]) -> None:
        with self.transaction() as tx:
            tx.conn.execute(
                update(PipelineRunRow)
                .where(PipelineRunRow.id == run_id)
                .values(status=status, summary_json=canonical_json(summary), finished_at=_now())
            )

    @staticmethod
    def _run_dict(row: Any) -> dict[str, Any]:
        return {
            "id": row.id,
            "status": row.status,
            "config": json.loads(row.config_json),
            "summary": json.loads(row.summary_json) if row.summary_json else None,
            "started_at": row.started_at,
            "finished_at": row.finished_at,
            "host": row.host,
            "pid": row.pid,
            "heartbeat_at": row.heartbeat_at,
        }

    def get_run(self, run_id: str) -> dict[str, Any]:
        with self.engine.connect() as conn:
            row = conn.execute(select(PipelineRunRow).where(PipelineRunRow.id == run_id)).first()
            if row is None:
                # a unique prefix is as good as the id
                rows = conn.execute(
                    select(PipelineRunRow).where(PipelineRunRow.id.startswith(run_id)).limit(2)
                ).all()
                if len(rows) == 1:
                    row = rows[0]
        if row is None:
            raise NotFoundError(f"no pipeline run with id {run_id!r}")
        return self._run_dict(row)

    def list_runs(
        self, status: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Runs, newest first."""
        stmt = select(PipelineRunRow).order_by(PipelineRunRow.started_at.desc())
        if status is not None:
            stmt = stmt.where(PipelineRunRow.status == status)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.engine.connect() as conn:
            return [self._run_dict(r) for r in conn.execute(stmt).all()]

    def delete_run(self, run_id: str) -> None:
        """Forget a run's record (its tasks stay: they are keyed by content, not by run)."""
        rid = self.get_run(run_id)["id"]
        with self.transaction() as tx:
            tx.conn.execute(sa_delete(PipelineRunRow).where(PipelineRunRow.id == rid))


class LLMCallLog(_Base):
    """Every LLM call (request, response, tokens, latency) and the response cache."""

    def record_llm_call(
        self,
        *,
        request_hash: str,
        role: str | None,
        model: str,
        request: dict[str, Any],
        response: dict[str, Any] | None,
        prompt_tokens: int,
        completion_tokens: int,
        latency_s: float,
        cost_usd: float | None,
        status: str,
        error: str | None,
        run_id: str | None,
    ) -> None:
        with self.transaction() as tx:
            tx.conn.execute(
                sa_insert(LLMCallRow),
                [
                    {
                        "request_hash": request_hash,
                        "role": role,
                        "model": model,
                        "status": status,
                        "error": error,
                        "request_json": canonical_json(request),
                        "response_json": None if response is None else canonical_json(response),
                        "prompt_tokens": prompt_tokens,
                        "completion_tokens": completion_tokens,
                        "latency_s": latency_s,
                        "cost_usd": cost_usd,
                        "run_id": run_id,
                        "created_at": _now(),
                    }
                ],
            )

    def cached_llm_response(self, request_hash: str) -> dict[str, Any] | None:
        stmt = (
            select(LLMCallRow.response_json)
            .where(
                LLMCallRow.request_hash == request_hash,
                LLMCallRow.status == "ok",
                LLMCallRow.response_json.is_not(None),
            )
            .order_by(LLMCallRow.id)
            .limit(1)
        )
        with self.engine.connect() as conn:
            body = conn.scalar(stmt)
        return None if body is None else json.loads(body)
