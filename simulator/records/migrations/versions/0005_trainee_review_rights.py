"""Trainee roles and the review before a result counts: on PostgreSQL a trainee role may read its own
review actions (so `kefu history`, `kefu results` and 我的记录 show 待复核 and the lead's decision) and
add the one `pending` row that puts its own finished attempt in the queue — nothing else. Without
this, 0004's table was closed to trainee roles: their history failed and an exam with
`review: required` could not be queued by the trainee's own connection.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

POSTGRES = r"""
CREATE FUNCTION kefu_unreviewed(p_attempt text) RETURNS boolean LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = public AS
$$ SELECT NOT EXISTS (SELECT 1 FROM review_actions WHERE attempt_id = p_attempt) $$;

ALTER TABLE review_actions ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_read ON review_actions FOR SELECT TO kefu_trainee USING (kefu_own_attempt(attempt_id, false));
-- Only the first row, only 'pending', only by kefu itself, only on an attempt of one's own.
CREATE POLICY own_queue ON review_actions FOR INSERT TO kefu_trainee WITH CHECK (
  action = 'pending' AND author = 'kefu' AND reason IS NULL AND total IS NULL AND passed IS NULL
  AND kefu_own_attempt(attempt_id, false) AND kefu_unreviewed(attempt_id));
GRANT SELECT, INSERT ON review_actions TO kefu_trainee;
GRANT USAGE ON SEQUENCE review_actions_id_seq TO kefu_trainee;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("REVOKE ALL ON review_actions FROM kefu_trainee; DROP POLICY own_queue ON review_actions; "
                   "DROP POLICY own_read ON review_actions; ALTER TABLE review_actions DISABLE ROW LEVEL SECURITY; "
                   "DROP FUNCTION kefu_unreviewed(text);")
