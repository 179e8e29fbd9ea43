"""The team lead's review: comments on turns, verdicts on attempts, score overrides (new rows only).

Revision ID: 0002
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("attempt_id", sa.String(32), sa.ForeignKey("attempts.id"), nullable=False),
        sa.Column("turn_id", sa.Integer, sa.ForeignKey("turns.id"), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_comments_attempt", "comments", ["attempt_id"])
    op.create_table(
        "verdicts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("attempt_id", sa.String(32), sa.ForeignKey("attempts.id"), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_verdicts_attempt", "verdicts", ["attempt_id"])
    op.create_table(
        "overrides",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("attempt_id", sa.String(32), sa.ForeignKey("attempts.id"), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("passed", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_overrides_attempt", "overrides", ["attempt_id"])


def downgrade() -> None:
    for table in ("overrides", "verdicts", "comments"):
        op.drop_table(table)
