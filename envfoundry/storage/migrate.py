"""Schema migrations: Alembic, driven programmatically (``envfoundry db upgrade``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from envfoundry.storage.db import WRITE_OPTION

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


MIGRATION_LOCK_KEY = 0x656E7666  # "envf": one advisory lock id for every envfoundry store


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Apply migrations up to ``revision`` in one transaction; returns (before, after).

    Workers starting together on an empty store must not both create the schema: on
    PostgreSQL the transaction takes an advisory lock first, on SQLite it begins
    IMMEDIATE (the write lock); the second worker then finds the schema at head.
    """
    before = current_revision(engine)
    cfg = _config()
    writer = engine.execution_options(**{WRITE_OPTION: True})
    with writer.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    return before, current_revision(engine)
