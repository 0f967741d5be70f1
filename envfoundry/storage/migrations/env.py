"""Alembic environment: runs the migrations on the connection handed in by storage.migrate."""

from __future__ import annotations

from alembic import context

from envfoundry.storage.schema import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached when alembic's own CLI is used
    raise RuntimeError("run migrations through `envfoundry db upgrade`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
