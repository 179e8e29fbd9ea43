"""The first records schema: trainees, attempts, sessions, turns, content, imported best scores.

Revision ID: 0001
Revises:
"""

from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trainees",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("cohort", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "attempts",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("exam_id", sa.String(200), nullable=True),
        sa.Column("exam_title", sa.String(400), nullable=True),
        sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_reason", sa.Text, nullable=True),
        sa.Column("seed", sa.BigInteger, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("owner", sa.String(300), nullable=False),
        sa.Column("total", sa.Integer, nullable=True),
        sa.Column("passed", sa.Boolean, nullable=True),
        sa.Column("policy_breach", sa.Boolean, nullable=True),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("scorer_hash", sa.String(64), nullable=False),
        sa.Column("kefu_version", sa.String(40), nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("trainee_id", "exam_id", "number", name="uq_attempt_number"),
    )
    op.create_index("ix_attempts_exam_trainee", "attempts", ["exam_id", "trainee_id"])
    op.create_index(
        "uq_attempt_in_progress", "attempts", ["trainee_id", "exam_id"], unique=True,
        sqlite_where=sa.text("status = 'in_progress' AND kind = 'exam'"),
        postgresql_where=sa.text("status = 'in_progress' AND kind = 'exam'"),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("attempt_id", sa.String(32), sa.ForeignKey("attempts.id"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("scenario_id", sa.String(200), nullable=False),
        sa.Column("scenario_title", sa.String(400), nullable=False),
        sa.Column("seed", sa.BigInteger, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(32), nullable=True),
        sa.Column("end_at", sa.Float, nullable=True),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("policy_breach", sa.Boolean, nullable=True),
        sa.Column("total", sa.Integer, nullable=True),
        sa.Column("apology", sa.Integer, nullable=True),
        sa.Column("empathy", sa.Integer, nullable=True),
        sa.Column("question", sa.Integer, nullable=True),
        sa.Column("solution", sa.Integer, nullable=True),
        sa.Column("deductions", sa.Integer, nullable=True),
        sa.Column("scorecard", sa.JSON, nullable=True),
        sa.UniqueConstraint("attempt_id", "position", name="uq_session_position"),
    )
    op.create_index("ix_sessions_scenario", "sessions", ["scenario_id"])
    op.create_table(
        "turns",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("seconds", sa.Float, nullable=True),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("mood", sa.Integer, nullable=False),
        sa.Column("state", sa.String(200), nullable=False),
        sa.Column("quick_reply", sa.Boolean, nullable=False),
        sa.Column("analysis", sa.JSON, nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("session_id", "seq", name="uq_turn_seq"),
    )
    op.create_table(
        "content_blobs",
        sa.Column("hash", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_table(
        "imported_best",
        sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), primary_key=True),
        sa.Column("scenario_id", sa.String(200), primary_key=True),
        sa.Column("total", sa.Integer, nullable=False),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for name in ("meta", "imported_best", "content_blobs", "turns", "sessions"):
        op.drop_table(name)
    op.drop_index("uq_attempt_in_progress", "attempts")
    op.drop_index("ix_attempts_exam_trainee", "attempts")
    op.drop_table("attempts")
    op.drop_table("trainees")
