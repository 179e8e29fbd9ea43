"""Calibration: people's blind grades of conversations, and the review before an exam result counts.

Revision ID: 0004
Revises: 0002 (the lead re-chains it after 0003 at merge)
"""

from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "human_grades",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("attempt_id", sa.String(32), sa.ForeignKey("attempts.id"), nullable=False),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
        sa.Column("grader", sa.String(200), nullable=False),
        sa.Column("apology", sa.Integer, nullable=True),
        sa.Column("empathy", sa.Integer, nullable=True),
        sa.Column("question", sa.Integer, nullable=True),
        sa.Column("solution", sa.Integer, nullable=True),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("passed", sa.Boolean, nullable=False),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_human_grades_session", "human_grades", ["session_id"])
    op.create_table(
        "review_actions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("attempt_id", sa.String(32), sa.ForeignKey("attempts.id"), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("total", sa.Integer, nullable=True),
        sa.Column("passed", sa.Boolean, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_review_actions_attempt", "review_actions", ["attempt_id"])


def downgrade() -> None:
    for table in ("review_actions", "human_grades"):
        op.drop_table(table)
