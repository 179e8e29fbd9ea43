"""The records schema (SQLAlchemy Core): one set of tables for SQLite and PostgreSQL.

    trainees         who trains (name is the login-free identity a team lead types)
    attempts         one exam attempt, or one practice run (kind = 'exam' | 'practice')
    sessions         one conversation with one scenario inside an attempt (position 0, 1, …)
    turns            every line of every session, committed as it happens, hash-chained per attempt
    content_blobs    the exact content (scenario + persona, exam) an attempt was played with, by hash
    imported_best    best scores imported once from the old $KEFU_HOME/best_scores.json
    meta             small key/value facts about the database (e.g. that the import happened)

The team lead's desk adds its own tables (comments on turns, verdicts, overrides) in a later
migration; every row here has a stable primary key for them to point at, and nothing here is
ever rewritten by a review (a score override is a new row, the computed score stays).
The migrations in `simulator/records/migrations/` create exactly these tables.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

STATUSES = ("in_progress", "completed", "interrupted")
"""An attempt is in progress, completed, or interrupted (its process died, or it was aborted)."""

trainees = sa.Table(
    "trainees", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("cohort", sa.String(200), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("role_name", sa.String(63), nullable=True),  # 0003: the PostgreSQL role they log in as
    sa.Index("uq_trainees_role", "role_name", unique=True),
)

attempts = sa.Table(
    "attempts", metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),  # 'exam' | 'practice'
    sa.Column("exam_id", sa.String(200), nullable=True),
    sa.Column("exam_title", sa.String(400), nullable=True),
    sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), nullable=False),
    sa.Column("number", sa.Integer, nullable=True),  # 1, 2, … per trainee and exam
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("status_reason", sa.Text, nullable=True),
    sa.Column("seed", sa.BigInteger, nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("owner", sa.String(300), nullable=False),  # host:pid:process-start of the writer
    sa.Column("total", sa.Integer, nullable=True),
    sa.Column("passed", sa.Boolean, nullable=True),
    sa.Column("policy_breach", sa.Boolean, nullable=True),
    sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("scorer_hash", sa.String(64), nullable=False),
    sa.Column("kefu_version", sa.String(40), nullable=False),
    sa.Column("last_hash", sa.String(64), nullable=False),  # head of the turn hash chain
    # 0003: the published exam version played, how the chain is hashed (1: before 0003), the seal
    # over the header once the attempt is closed, and who is to blame for an interruption.
    sa.Column("exam_version", sa.Integer, nullable=True),
    sa.Column("chain", sa.Integer, nullable=False, server_default="1"),
    sa.Column("seal", sa.String(64), nullable=True),
    sa.Column("cause", sa.String(16), nullable=True),  # trainee | infrastructure | abandoned (interrupted only)
    sa.UniqueConstraint("trainee_id", "exam_id", "number", name="uq_attempt_number"),
    sa.Index("ix_attempts_exam_trainee", "exam_id", "trainee_id"),
    # One attempt of an exam at a time per trainee, enforced by the database itself.
    sa.Index(
        "uq_attempt_in_progress", "trainee_id", "exam_id", unique=True,
        sqlite_where=sa.text("status = 'in_progress' AND kind = 'exam'"),
        postgresql_where=sa.text("status = 'in_progress' AND kind = 'exam'"),
    ),
)

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("attempt_id", sa.String(32), sa.ForeignKey("attempts.id"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("scenario_id", sa.String(200), nullable=False),
    sa.Column("scenario_title", sa.String(400), nullable=False),
    sa.Column("seed", sa.BigInteger, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # in_progress | completed | interrupted
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("end_reason", sa.String(32), nullable=True),  # customer | trainee | reply_limit | scenario_limit
    sa.Column("end_at", sa.Float, nullable=True),  # engine-clock seconds since the start when it ended
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
    sa.Index("ix_sessions_scenario", "scenario_id"),
)

turns = sa.Table(
    "turns", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.id"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),  # 0, 1, … within the session
    sa.Column("role", sa.String(16), nullable=False),  # customer | trainee
    sa.Column("kind", sa.String(16), nullable=False),  # opening | reply | nudge | … | trainee
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("seconds", sa.Float, nullable=True),  # the trainee's time to reply
    sa.Column("at", sa.Float, nullable=False),  # engine-clock seconds since the session started
    sa.Column("mood", sa.Integer, nullable=False),
    sa.Column("state", sa.String(200), nullable=False),
    sa.Column("quick_reply", sa.Boolean, nullable=False, default=False),
    sa.Column("analysis", sa.JSON, nullable=True),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.UniqueConstraint("session_id", "seq", name="uq_turn_seq"),
)

content_blobs = sa.Table(
    "content_blobs", metadata,
    sa.Column("hash", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),  # 'scenario' (scenario + persona) | 'exam'
    sa.Column("body", sa.Text, nullable=False),  # canonical JSON
)

imported_best = sa.Table(
    "imported_best", metadata,
    sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), primary_key=True),
    sa.Column("scenario_id", sa.String(200), primary_key=True),
    sa.Column("total", sa.Integer, nullable=False),
)

meta = sa.Table(
    "meta", metadata,
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# ---- the team lead's review (migration 0002): never rewrites a row above ---------------------

comments = sa.Table(
    "comments", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("attempt_id", sa.String(32), sa.ForeignKey("attempts.id"), nullable=False),
    sa.Column("turn_id", sa.Integer, sa.ForeignKey("turns.id"), nullable=False),
    sa.Column("author", sa.String(200), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_comments_attempt", "attempt_id"),
)

verdicts = sa.Table(
    "verdicts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("attempt_id", sa.String(32), sa.ForeignKey("attempts.id"), nullable=False),
    sa.Column("author", sa.String(200), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_verdicts_attempt", "attempt_id"),
)

overrides = sa.Table(
    "overrides", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("attempt_id", sa.String(32), sa.ForeignKey("attempts.id"), nullable=False),
    sa.Column("author", sa.String(200), nullable=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("passed", sa.Boolean, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_overrides_attempt", "attempt_id"),
)

# ---- authority on the records server (migration 0003) ---------------------------------------
# Published exams, lead actions, extra attempts granted. Attempts gain their exam version, the
# chain version, a seal over their header, and why an interruption happened (the infrastructure's
# fault does not count against the trainee); trainees gain the database role they log in as.

published_exams = sa.Table(
    "published_exams", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("exam_id", sa.String(200), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),  # 1, 2, … per exam id
    sa.Column("title", sa.String(400), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),  # the limit, readable by the server's own checks
    sa.Column("validity_days", sa.Integer, nullable=True),
    sa.Column("snapshot_hash", sa.String(64), nullable=False),  # content_blobs: exam + every scenario hash
    sa.Column("published_by", sa.String(200), nullable=False),
    sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("exam_id", "version", name="uq_published_version"),
)

grants = sa.Table(
    "grants", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), nullable=False),
    sa.Column("exam_id", sa.String(200), nullable=False),
    sa.Column("author", sa.String(200), nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_grants_trainee_exam", "trainee_id", "exam_id"),
)

audit = sa.Table(
    "audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("attempt_id", sa.String(32), sa.ForeignKey("attempts.id"), nullable=True),
    sa.Column("trainee_id", sa.Integer, sa.ForeignKey("trainees.id"), nullable=True),
    sa.Column("exam_id", sa.String(200), nullable=True),
    sa.Column("action", sa.String(32), nullable=False),  # publish|void|grant|cohort|trainee|comment|verdict|override
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("detail", sa.JSON, nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Index("ix_audit_attempt", "attempt_id"),
)
