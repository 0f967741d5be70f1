"""Initial schema: environments, tools, tasks, attempts, pipeline runs, LLM calls.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "environments",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("family", sa.String(32), nullable=False),
        sa.Column("category", sa.String(128), nullable=False),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("image", sa.String(256)),
        sa.Column("state_blob", sa.String(64)),
        sa.Column("parent_env_id", sa.String(64)),
        sa.Column("spec_json", sa.Text(), nullable=False),
        sa.Column("run_id", sa.String(64)),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_environments_family", "environments", ["family"])
    op.create_index("ix_environments_category", "environments", ["category"])

    op.create_table(
        "tools",
        sa.Column(
            "env_id",
            sa.String(64),
            sa.ForeignKey("environments.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("tool_id", sa.String(64), nullable=False),
        sa.Column("mutates", sa.Boolean(), nullable=False),
        sa.Column("spec_json", sa.Text(), nullable=False),
    )
    op.create_index("ix_tools_tool_id", "tools", ["tool_id"])

    op.create_table(
        "tasks",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("env_id", sa.String(64), sa.ForeignKey("environments.id"), nullable=False),
        sa.Column("family", sa.String(32), nullable=False),
        sa.Column("category", sa.String(128), nullable=False),
        sa.Column("difficulty", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("rejection_category", sa.String(32)),
        sa.Column("rejection_reason", sa.Text()),
        sa.Column("parent_task_id", sa.String(64)),
        sa.Column("pass_rate", sa.Float()),
        sa.Column("spec_json", sa.Text(), nullable=False),
        sa.Column("run_id", sa.String(64)),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_index("ix_tasks_env_id", "tasks", ["env_id"])
    op.create_index("ix_tasks_difficulty", "tasks", ["difficulty"])
    op.create_index("ix_tasks_status", "tasks", ["status"])
    op.create_index("ix_tasks_family_category_status", "tasks", ["family", "category", "status"])

    op.create_table(
        "attempts",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "task_id", sa.String(64), sa.ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("label", sa.String(256), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("reward", sa.Float(), nullable=False),
        sa.Column("infra_error", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("verdict_json", sa.Text(), nullable=False),
        sa.Column("answer_json", sa.Text(), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("trajectory_blob", sa.String(64)),
        sa.Column("run_id", sa.String(64)),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("task_id", "kind", "label", name="uq_attempt_label"),
    )
    op.create_index("ix_attempts_task_id", "attempts", ["task_id"])

    op.create_table(
        "pipeline_runs",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("config_json", sa.Text(), nullable=False),
        sa.Column("summary_json", sa.Text()),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS),
    )

    op.create_table(
        "llm_calls",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("role", sa.String(64)),
        sa.Column("model", sa.String(256), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("error", sa.Text()),
        sa.Column("request_json", sa.Text(), nullable=False),
        sa.Column("response_json", sa.Text()),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("latency_s", sa.Float(), nullable=False),
        sa.Column("cost_usd", sa.Float()),
        sa.Column("run_id", sa.String(64)),
        sa.Column("created_at", TS, nullable=False),
    )
    op.create_index("ix_llm_calls_request_hash", "llm_calls", ["request_hash"])


def downgrade() -> None:
    for table in ("llm_calls", "pipeline_runs", "attempts", "tasks", "tools", "environments"):
        op.drop_table(table)
