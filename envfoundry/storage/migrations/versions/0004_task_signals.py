"""Tasks: measured difficulty signals (JSON) and the label derived from them.

Kept next to the task, not in its spec: measurements (and later rollouts) must not change
a task's content id.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("signals_json", sa.Text(), nullable=True))
        batch.add_column(sa.Column("difficulty_label", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("difficulty_label")
        batch.drop_column("signals_json")
