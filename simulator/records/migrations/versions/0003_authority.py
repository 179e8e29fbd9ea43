"""Authority on the records server: published exams, grants, the audit trail, sealed attempts, and on
PostgreSQL the trainee roles' rights (row-level security, SECURITY DEFINER functions, a trigger that
enforces the attempt limit).

Revision ID: 0003
Revises: 0002
"""

from alembic import op
import sqlalchemy as sa

from simulator.records.roles import POSTGRES_SETUP

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("trainees", sa.Column("role_name", sa.String(63), nullable=True))
    op.create_index("uq_trainees_role", "trainees", ["role_name"], unique=True)
    op.add_column("attempts", sa.Column("exam_version", sa.Integer, nullable=True))
    op.add_column("attempts", sa.Column("chain", sa.Integer, nullable=False, server_default="1"))
    op.add_column("attempts", sa.Column("seal", sa.String(64), nullable=True))
    op.add_column("attempts", sa.Column("cause", sa.String(16), nullable=True))
    op.create_table(
        "published_exams",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("exam_id", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("title", sa.String(400), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("validity_days", sa.Integer, nullable=True),
        sa.Column("snapshot_hash", sa.String(64), nullable=False),
        sa.Column("published_by", sa.String(200), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("exam_id", "version", name="uq_published_version"),
    )
    op.create_table(
        "grants",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), nullable=False),
        sa.Column("exam_id", sa.String(200), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_grants_trainee_exam", "grants", ["trainee_id", "exam_id"])
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("attempt_id", sa.String(32), sa.ForeignKey("attempts.id"), nullable=True),
        sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), nullable=True),
        sa.Column("exam_id", sa.String(200), nullable=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("detail", sa.JSON, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_attempt", "audit", ["attempt_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_SETUP)


def downgrade() -> None:
    raise NotImplementedError("records migrations only go forward")
