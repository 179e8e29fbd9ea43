"""Trainee roles on PostgreSQL: who a connection is, and what the server lets a trainee do.

Each trainee logs in as their own PostgreSQL role, a member of the group role `kefu_trainee`
(`kefu trainee add`). Row-level security lets such a role read its own trainee row, attempts,
sessions, turns and reviews, and insert its own attempts, sessions and turns — nothing else: no
UPDATE or DELETE anywhere. The few changes an attempt needs while it runs (the head of its hash
chain, its heartbeat, a finished conversation, its close) go through SECURITY DEFINER functions that
check the caller owns the attempt and that it is still in progress; a trigger checks every new exam
attempt against the published exam's limit and the lead's grants. The lead connects as the database
owner (not a trainee role) and is not bound by any of this.

POSTGRES_SETUP is the SQL of migration 0003: never edit it, add a migration instead.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from simulator.records.errors import RecordsError

TRAINEE_GROUP = "kefu_trainee"
_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

POSTGRES_SETUP = r"""
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kefu_trainee') THEN
    CREATE ROLE kefu_trainee NOLOGIN;  -- needs CREATEROLE, or an administrator creates it beforehand
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

CREATE FUNCTION kefu_me() RETURNS integer LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS
$$ SELECT id FROM trainees WHERE role_name = session_user $$;

CREATE FUNCTION kefu_own_attempt(p_attempt text, p_open boolean) RETURNS boolean LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = public AS
$$ SELECT EXISTS (SELECT 1 FROM attempts WHERE id = p_attempt AND trainee_id = kefu_me()
                  AND (NOT p_open OR status = 'in_progress')) $$;

CREATE FUNCTION kefu_own_session(p_session integer, p_open boolean) RETURNS boolean LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = public AS
$$ SELECT EXISTS (SELECT 1 FROM sessions s JOIN attempts a ON a.id = s.attempt_id
                  WHERE s.id = p_session AND a.trainee_id = kefu_me()
                  AND (NOT p_open OR (a.status = 'in_progress' AND s.status = 'in_progress'))) $$;

ALTER TABLE content_blobs ADD CONSTRAINT ck_blob_hash
  CHECK (hash = encode(sha256(convert_to(body, 'UTF8')), 'hex')) NOT VALID;

ALTER TABLE trainees ENABLE ROW LEVEL SECURITY;
ALTER TABLE attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE turns ENABLE ROW LEVEL SECURITY;
ALTER TABLE comments ENABLE ROW LEVEL SECURITY;
ALTER TABLE verdicts ENABLE ROW LEVEL SECURITY;
ALTER TABLE overrides ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit ENABLE ROW LEVEL SECURITY;
ALTER TABLE grants ENABLE ROW LEVEL SECURITY;
ALTER TABLE imported_best ENABLE ROW LEVEL SECURITY;

CREATE POLICY own_row ON trainees FOR SELECT TO kefu_trainee USING (id = kefu_me());
CREATE POLICY own_read ON attempts FOR SELECT TO kefu_trainee USING (trainee_id = kefu_me());
CREATE POLICY own_start ON attempts FOR INSERT TO kefu_trainee WITH CHECK (
  trainee_id = kefu_me() AND kind = 'exam' AND status = 'in_progress' AND total IS NULL AND passed IS NULL
  AND policy_breach IS NULL AND finished_at IS NULL AND valid_until IS NULL AND seal IS NULL AND cause IS NULL
  AND exam_version IS NOT NULL AND chain >= 2);
CREATE POLICY own_read ON sessions FOR SELECT TO kefu_trainee USING (kefu_own_attempt(attempt_id, false));
CREATE POLICY own_start ON sessions FOR INSERT TO kefu_trainee WITH CHECK (
  kefu_own_attempt(attempt_id, true) AND status = 'in_progress' AND total IS NULL AND scorecard IS NULL
  AND outcome IS NULL AND finished_at IS NULL);
CREATE POLICY own_read ON turns FOR SELECT TO kefu_trainee USING (kefu_own_session(session_id, false));
CREATE POLICY own_say ON turns FOR INSERT TO kefu_trainee WITH CHECK (kefu_own_session(session_id, true));
CREATE POLICY own_read ON comments FOR SELECT TO kefu_trainee USING (kefu_own_attempt(attempt_id, false));
CREATE POLICY own_read ON verdicts FOR SELECT TO kefu_trainee USING (kefu_own_attempt(attempt_id, false));
CREATE POLICY own_read ON overrides FOR SELECT TO kefu_trainee USING (kefu_own_attempt(attempt_id, false));
CREATE POLICY own_read ON audit FOR SELECT TO kefu_trainee
  USING (trainee_id = kefu_me() OR (attempt_id IS NOT NULL AND kefu_own_attempt(attempt_id, false)));
CREATE POLICY own_read ON grants FOR SELECT TO kefu_trainee USING (trainee_id = kefu_me());
CREATE POLICY own_read ON imported_best FOR SELECT TO kefu_trainee USING (trainee_id = kefu_me());

GRANT USAGE ON SCHEMA public TO kefu_trainee;
GRANT SELECT ON trainees, attempts, sessions, turns, comments, verdicts, overrides, audit, grants,
  imported_best, published_exams, content_blobs, meta, alembic_version TO kefu_trainee;
GRANT INSERT ON attempts, sessions, turns, content_blobs TO kefu_trainee;
GRANT USAGE ON SEQUENCE sessions_id_seq, turns_id_seq TO kefu_trainee;

-- Every new exam attempt: the published version (the latest), the limit plus grants, the next number.
CREATE FUNCTION kefu_check_attempt() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public AS $$
DECLARE allowed integer; latest integer; used integer; made integer;
BEGIN
  IF NEW.kind <> 'exam' THEN
    IF kefu_me() IS NOT NULL THEN RAISE EXCEPTION 'kefu:practice'; END IF;
    RETURN NEW;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext(NEW.exam_id), NEW.trainee_id);
  IF NEW.exam_version IS NULL THEN
    IF kefu_me() IS NOT NULL THEN RAISE EXCEPTION 'kefu:unpublished'; END IF;
    RETURN NEW;
  END IF;
  SELECT max(version) INTO latest FROM published_exams WHERE exam_id = NEW.exam_id;
  IF latest IS NULL OR NEW.exam_version <> latest THEN RAISE EXCEPTION 'kefu:unpublished'; END IF;
  SELECT attempts INTO allowed FROM published_exams WHERE exam_id = NEW.exam_id AND version = latest;
  allowed := allowed + (SELECT count(*) FROM grants WHERE trainee_id = NEW.trainee_id AND exam_id = NEW.exam_id);
  SELECT count(*), count(*) FILTER (WHERE cause IS DISTINCT FROM 'infrastructure') INTO made, used
    FROM attempts WHERE trainee_id = NEW.trainee_id AND exam_id = NEW.exam_id;
  IF used >= allowed THEN RAISE EXCEPTION 'kefu:limit % %', used, allowed; END IF;
  IF NEW.number IS DISTINCT FROM made + 1 THEN RAISE EXCEPTION 'kefu:number'; END IF;
  IF kefu_me() IS NOT NULL AND abs(extract(epoch FROM (NEW.started_at - now()))) > 300 THEN
    RAISE EXCEPTION 'kefu:clock';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER kefu_check_attempt BEFORE INSERT ON attempts FOR EACH ROW EXECUTE FUNCTION kefu_check_attempt();

-- A trainee's attempt moves on: the chain head must be its latest turn's hash; the heartbeat is the server's clock.
CREATE FUNCTION kefu_touch(p_attempt text, p_last text) RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public AS $$
BEGIN
  IF p_last IS NOT NULL AND p_last IS DISTINCT FROM (
      SELECT t.hash FROM turns t JOIN sessions s ON s.id = t.session_id WHERE s.attempt_id = p_attempt
      ORDER BY s.position DESC, t.seq DESC LIMIT 1) THEN
    RAISE EXCEPTION 'kefu:chain';
  END IF;
  UPDATE attempts SET last_hash = COALESCE(p_last, last_hash), heartbeat_at = now()
    WHERE id = p_attempt AND status = 'in_progress' AND trainee_id = kefu_me();
  RETURN FOUND;
END $$;

CREATE FUNCTION kefu_finish_session(p_session integer, p_outcome text, p_breach boolean, p_end_reason text,
    p_end_at double precision, p_card json) RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public AS $$
BEGIN
  IF NOT kefu_own_session(p_session, true) THEN RETURN false; END IF;
  UPDATE sessions SET status = 'completed', finished_at = now(), outcome = p_outcome, policy_breach = p_breach,
      end_reason = p_end_reason, end_at = p_end_at, scorecard = p_card,
      total = (p_card->>'total')::integer, apology = (p_card->>'apology')::integer,
      empathy = (p_card->>'empathy')::integer, question = (p_card->>'question')::integer,
      solution = (p_card->>'solution')::integer, deductions = (p_card->>'deductions')::integer
    WHERE id = p_session;
  RETURN FOUND;
END $$;

-- Closing is once only, at the server's time (give or take five minutes), with a validity the
-- published exam allows; the seal is what verify checks the closing fields against.
CREATE FUNCTION kefu_close_attempt(p_attempt text, p_status text, p_reason text, p_cause text,
    p_finished timestamptz, p_total integer, p_passed boolean, p_breach boolean, p_valid timestamptz,
    p_seal text) RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE days integer;
BEGIN
  IF p_status NOT IN ('completed', 'interrupted') THEN RAISE EXCEPTION 'kefu:status'; END IF;
  IF NOT kefu_own_attempt(p_attempt, true) THEN RETURN false; END IF;
  IF abs(extract(epoch FROM (p_finished - now()))) > 300 THEN RAISE EXCEPTION 'kefu:clock'; END IF;
  SELECT p.validity_days INTO days FROM attempts a JOIN published_exams p
    ON p.exam_id = a.exam_id AND p.version = a.exam_version WHERE a.id = p_attempt;
  IF p_status = 'completed' AND p_passed AND days IS NOT NULL THEN
    IF p_valid IS DISTINCT FROM p_finished + make_interval(days => days) THEN RAISE EXCEPTION 'kefu:validity'; END IF;
  ELSIF p_valid IS NOT NULL THEN
    RAISE EXCEPTION 'kefu:validity';
  END IF;
  IF p_status = 'interrupted' AND (p_total IS NOT NULL OR p_passed IS NOT NULL) THEN
    RAISE EXCEPTION 'kefu:status';
  END IF;
  UPDATE sessions SET status = 'interrupted', finished_at = p_finished
    WHERE attempt_id = p_attempt AND status = 'in_progress';
  UPDATE attempts SET status = p_status, status_reason = p_reason, cause = p_cause, finished_at = p_finished,
      total = p_total, passed = p_passed, policy_breach = p_breach, valid_until = p_valid, seal = p_seal
    WHERE id = p_attempt AND status = 'in_progress';
  RETURN FOUND;
END $$;
"""


def is_postgres(store) -> bool:
    return store.dialect == "postgresql"


def connected_trainee(conn: sa.Connection) -> str | None:
    """The trainee this connection logs in as (PostgreSQL trainee roles), else None (a lead or SQLite)."""
    if conn.dialect.name != "postgresql":
        return None
    return conn.execute(sa.text("SELECT name FROM trainees WHERE id = kefu_me()")).scalar()


def check_role(role: str) -> str:
    """A PostgreSQL role name kefu creates or maps: lower-case letters, digits and _ (quoted nowhere)."""
    role = (role or "").strip()
    if not _ROLE.match(role) or role in ("postgres", "public", TRAINEE_GROUP) or role.startswith("pg_"):
        raise RecordsError(f"数据库角色名不合适：{role!r}。只能用小写字母、数字和下划线，以字母开头，最多 63 个字符。",
                           exit_code=2)
    return role


def create_or_map_role(conn: sa.Connection, role: str, password: str | None) -> bool:
    """Create the login role (with a password) or, when it exists, map it; either way a kefu trainee.

    Returns True when the role was created here."""
    exists = conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar() is not None
    if not exists:
        if not password:
            raise RecordsError(f"数据库里还没有角色 {role}：请用 --password 给出它的密码（或先在服务器上建好它）。",
                               exit_code=2)
        quoted = conn.execute(sa.text("SELECT quote_literal(:p)"), {"p": password}).scalar()
        conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN PASSWORD {quoted}')
    conn.exec_driver_sql(f'GRANT {TRAINEE_GROUP} TO "{role}"')
    return not exists


def raised(exc: BaseException) -> str | None:
    """The kefu:… tag a server-side check raised, if that is what this driver error is."""
    text = str(getattr(exc, "orig", None) or exc)
    match = re.search(r"kefu:([a-z]+)", text)
    return match.group(1) if match else None
