"""Engines for the task store: SQLite (embedded default) and PostgreSQL, same code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from envfoundry.errors import ConfigError

WRITE_OPTION = "envfoundry_write"


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``; SQLite gets WAL, a busy timeout and explicit BEGINs."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            f"store URL {url!r} is not a database URL (e.g. sqlite:///path.db)"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "postgres":
        raise ConfigError(
            f"store URL {url!r}: write postgresql:// (or postgresql+psycopg://), not postgres://"
        )
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(f"store URL {url!r}: only sqlite and postgresql are supported")
    try:
        if backend == "sqlite":
            return _sqlite_engine(url, parsed.database)
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=10)
    except NoSuchModuleError as exc:
        raise ConfigError(f"store URL {url!r}: driver not installed ({exc})") from None


class _SQLiteCompiler(SQLiteCompiler):
    """SQLite's compiler, also rendering table hints: ``select(...).with_hint(TaskRow,
    "INDEXED BY ix", "sqlite")`` gives ``FROM tasks INDEXED BY ix`` (SQLAlchemy drops
    table hints on SQLite). Without statistics SQLite's planner prefers any equality
    index over the one that serves ORDER BY, sorting all matching rows per keyset page."""

    def get_from_hint_text(self, table: Any, text: str | None) -> str | None:
        return text


def _sqlite_engine(url: str, database: str | None) -> Engine:
    if database and database != ":memory:":
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 60})
    engine.dialect.statement_compiler = _SQLiteCompiler

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take over transaction control from pysqlite so BEGIN is emitted by us
        # (pysqlite's implicit BEGIN is deferred and breaks concurrent writers).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=60000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock up front: a deferred transaction that later
        # upgrades to a writer gets SQLITE_BUSY at once instead of waiting.
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine
