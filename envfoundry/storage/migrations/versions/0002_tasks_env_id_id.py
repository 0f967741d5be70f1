"""Tasks: index (env_id, id) instead of env_id alone.

The export reads tasks grouped by environment, in id order within each, so that
deduplication scoped to one environment can forget an environment once it is done.
The composite index serves that order and every lookup by environment.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tasks_env_id_id", "tasks", ["env_id", "id"])
    op.drop_index("ix_tasks_env_id", table_name="tasks")


def downgrade() -> None:
    op.create_index("ix_tasks_env_id", "tasks", ["env_id"])
    op.drop_index("ix_tasks_env_id_id", table_name="tasks")
