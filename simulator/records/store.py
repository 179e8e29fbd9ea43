"""The records store: open a database (SQLite or PostgreSQL), write attempts turn by turn, read them back.

    store = open_store(db=None)        # --db URL / $KEFU_DB / sqlite at $KEFU_HOME/kefu.db
    writer = store.begin_attempt(kind="exam", trainee="张三", exam_id=..., attempts_allowed=2, ...)
    session = writer.begin_session(0, scenario, persona, seed)
    session.add_turn(role=..., kind=..., text=..., ...)   # committed at once, hash-chained
    session.finish(outcome=..., policy_breach=..., scorecard=..., end_reason=..., end_at=...)
    writer.finish(total=..., passed=..., policy_breach=...)
    store.attempts(exam_id=..., trainee=...); store.attempt(attempt_id); store.best_scores(trainee)

Every write is its own short transaction, so a process killed mid-attempt loses nothing it had
written; the next open marks the attempt `interrupted` (its writer is gone), keeping its turns.
Database errors become `RecordsError` with a Chinese message.
"""

from __future__ import annotations

import os
import random
import stat
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

from simulator.records import crashpoints, migrate, review, roles
from simulator.records.errors import AttemptRefused, RecordsError, describe_db_error
from simulator.records.hashing import (CHAIN_VERSION, canonical_json, chain_hash, data_hash, header_start,
                                       scorer_hash, seal_hash)
from simulator.records.heartbeat import LEASE, Liveness
from simulator.records.owner import current_owner
from simulator.records.names import check_name, normalize_name  # noqa: F401 - re-exported
from simulator.records.times import utc  # noqa: F401 - re-exported
from simulator.records.schema import (attempts, content_blobs, grants, imported_best, meta, sessions, trainees,
                                      turns)

DB_ENV = "KEFU_DB"
DB_FILE = "kefu.db"

Now = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)




# ---- where the database is ----------------------------------------------------------------


def default_home() -> Path:
    """$KEFU_HOME, else ~/.local/share/kefu (the practice room's records folder)."""
    home = os.environ.get("KEFU_HOME")
    return Path(home).expanduser() if home else Path.home() / ".local" / "share" / "kefu"


def resolve_url(db: str | None = None, home: Path | None = None) -> str:
    """The database URL: `db` (a URL or a file path), else $KEFU_DB, else SQLite at home/kefu.db."""
    value = (db or os.environ.get(DB_ENV) or "").strip()
    if not value:
        return "sqlite:///" + str((home or default_home()) / DB_FILE)
    if "://" not in value:
        return "sqlite:///" + str(Path(value).expanduser())
    scheme, rest = value.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        return "postgresql+psycopg://" + rest  # psycopg 3, whatever the team's URL says
    return value


def display_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a URL too broken to parse is shown as given
        return url


def _engine(url: str, read_only: bool = False) -> sa.Engine:
    try:
        parsed = sa.engine.make_url(url)
    except Exception as exc:  # noqa: BLE001
        raise RecordsError(f"数据库地址无法识别：{url}（例：postgresql://用户:密码@主机/库名，或一个 .db 文件路径）") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        database = parsed.database or ""
        if read_only and database and database != ":memory:" and not parsed.query.get("uri"):
            return _sqlite_reader(Path(database))
        return _sqlite_engine(url, parsed)
    if backend == "postgresql":
        # Read-only sessions: the server itself refuses any write a reading command might attempt.
        args = {"connect_timeout": 5} | ({"options": "-c default_transaction_read_only=on"} if read_only else {})
        try:
            return sa.create_engine(url, pool_pre_ping=True, connect_args=args)
        except Exception as exc:  # noqa: BLE001 - e.g. the driver is missing
            raise RecordsError(f"无法使用这个数据库地址：{display_url(url)}（{exc}）") from exc
    raise RecordsError(f"不支持的数据库：{backend}。可用：SQLite（文件路径）或 PostgreSQL（postgresql://…）")


def _sqlite_engine(url: str, parsed) -> sa.Engine:
    database = parsed.database or ""
    if database and database != ":memory:" and not parsed.query.get("uri"):
        path = Path(database)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RecordsError(f"无法创建记录文件夹 {path.parent}：{exc.strerror or exc}") from exc
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            mode = None
        except OSError as exc:
            raise RecordsError(f"无法读取记录数据库 {path}：{exc.strerror or exc}") from exc
        if mode is not None and not stat.S_ISREG(mode):
            raise RecordsError(f"{path} 不是普通文件（是管道、设备或文件夹），不能用作记录数据库。")
    engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # transactions are begun below, explicitly
        cursor = dbapi_connection.cursor()
        for pragma in ("PRAGMA busy_timeout = 30000", "PRAGMA foreign_keys = ON",
                       "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL"):
            try:
                cursor.execute(pragma)
            except Exception:  # noqa: BLE001 - a read-only database cannot switch to WAL; reads still work
                pass
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        # A writer takes the write lock up front, so two processes queue instead of failing midway.
        immediate = connection.get_execution_options().get("kefu_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _sqlite_reader(path: Path) -> sa.Engine:
    """A SQLite engine that never writes: the file must exist; opened `mode=ro` (or `immutable` on a
    read-only medium where SQLite cannot even create its shared-memory file)."""
    from urllib.parse import quote

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise RecordsError(f"记录数据库不存在：{path}。请检查 --db 或 $KEFU_DB 的路径（读取时不会新建数据库）。") from None
    except OSError as exc:
        raise RecordsError(f"无法读取记录数据库 {path}：{exc.strerror or exc}") from exc
    if not stat.S_ISREG(mode):
        raise RecordsError(f"{path} 不是普通文件（是管道、设备或文件夹），不能用作记录数据库。")
    base = "file:" + quote(str(path.resolve()))
    wal = path.with_name(path.name + "-wal")
    # `immutable` only where SQLite cannot make its shared-memory file AND no journal is pending: it
    # would not see what a -wal still holds (then mode=ro reads it, or fails with a message).
    immutable = (not os.access(path.parent, os.W_OK) and not path.with_name(path.name + "-shm").exists()
                 and (not wal.exists() or wal.stat().st_size == 0))
    uri = base + ("?immutable=1" if immutable else "?mode=ro")
    engine = sa.create_engine("sqlite:///" + str(path), creator=lambda: __import__("sqlite3").connect(
        uri, uri=True, timeout=30, check_same_thread=False))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA busy_timeout = 30000")

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def open_store(db: str | None = None, *, home: Path | None = None, now: Now | None = None,
               upgrade: bool = False, read_only: bool = False, housekeeping: bool = True) -> "RecordStore":
    """Open (creating when new) the records database; RecordsError when it cannot be used.

    An empty database gets the current schema. One with an older schema is refused with a message
    to run `kefu db upgrade` (or upgraded when `upgrade`); one with a newer schema is refused.
    `read_only` (the reading commands): nothing is ever written — a missing SQLite file is an error,
    not a new database; an empty one is refused; orphaned attempts are left for the next writer.
    Without `housekeeping` (the desk) the database must exist as well and is never migrated or
    reconciled on opening; the connection may still write (the lead's review).
    """
    url = resolve_url(db, home)
    existing = read_only or not housekeeping
    if existing and url.startswith("sqlite:///") and not read_only:
        _sqlite_reader(Path(url[len("sqlite:///"):])).dispose()  # the same checks: it must exist
    engine = _engine(url, read_only)
    where = display_url(url)
    try:
        state = migrate.schema_state(engine)
        head = migrate.head_revision()
        if existing and state.empty:
            raise RecordsError(f"记录数据库里还没有任何记录（空数据库）：{where}。")
        if state.empty or (upgrade and state.current in migrate.known_revisions() and state.current != head):
            migrate.upgrade(engine)
        elif state.current is None:
            raise RecordsError(f"这不是 kefu 的记录数据库（里面有别的表）：{where}。请换一个数据库或文件。")
        elif state.current not in migrate.known_revisions():
            raise RecordsError(
                f"记录数据库的结构版本（{state.current}）比这个 kefu 新：{where}。请升级 kefu 后再用；没有写入任何内容。")
        elif state.current != head:
            raise RecordsError(
                f"记录数据库的结构版本较旧（{state.current}，当前为 {head}）：{where}。"
                "请先运行 kefu db upgrade（建议先备份）；没有写入任何内容。")
    except RecordsError:
        engine.dispose()
        raise
    except sa.exc.SQLAlchemyError as exc:
        engine.dispose()
        raise describe_db_error(exc, where) from exc
    except OSError as exc:
        engine.dispose()
        raise RecordsError(f"无法打开记录数据库：{where}（{exc.strerror or exc}）") from exc
    store = RecordStore(engine, url, now or _utc_now, home=home)
    try:
        with store.read() as conn:
            store.identity = roles.connected_trainee(conn)
    except RecordsError:
        engine.dispose()
        raise
    if not existing:  # housekeeping is a write: it waits for a writer
        store.reconcile()
    return store


def upgrade_database(db: str | None = None, *, home: Path | None = None) -> tuple[str | None, str]:
    """`kefu db upgrade`: (version before, version after)."""
    url = resolve_url(db, home)
    engine = _engine(url)
    where = display_url(url)
    try:
        state = migrate.schema_state(engine)
        if state.current is None and state.has_tables:
            raise RecordsError(f"这不是 kefu 的记录数据库（里面有别的表）：{where}。")
        if state.current is not None and state.current not in migrate.known_revisions():
            raise RecordsError(f"记录数据库的结构版本（{state.current}）比这个 kefu 新：{where}。请升级 kefu。")
        migrate.upgrade(engine)
        return state.current, migrate.head_revision()
    except sa.exc.SQLAlchemyError as exc:
        raise describe_db_error(exc, where) from exc
    finally:
        engine.dispose()


# ---- the store ----------------------------------------------------------------------------


class RecordStore:
    """One records database. Thread-safe (each call uses its own pooled connection)."""

    def __init__(self, engine: sa.Engine, url: str, now: Now, home: Path | None = None) -> None:
        self.engine = engine
        self.url = url
        self.where = display_url(url)
        self.now = now
        self.dialect = engine.dialect.name
        self.liveness = Liveness(home or default_home())
        self.identity: str | None = None
        """The trainee this connection logs in as (a PostgreSQL trainee role); None: a lead, or SQLite."""

    @property
    def as_trainee(self) -> bool:
        """Connected as a trainee role: updates go through the server's functions, never UPDATE."""
        return self.identity is not None

    def call(self, conn: sa.Connection, function: str, **params) -> Any:
        """Call one of the server's kefu_… functions (roles.POSTGRES_SETUP) with named parameters."""
        names = ", ".join(f":{k}" for k in params)
        return conn.execute(sa.text(f"SELECT {function}({names})"), params).scalar()

    def close(self) -> None:
        """Release the connections, and the locks of attempts still open here (their writer is done)."""
        self.liveness.let_go()
        self.engine.dispose()

    def __enter__(self) -> "RecordStore":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """One write transaction; driver errors become RecordsError."""
        try:
            crashpoints.reached("before")
            with self.engine.connect().execution_options(kefu_write=True) as conn:
                with conn.begin():
                    yield conn
                    crashpoints.reached("commit")
            crashpoints.reached("after")
        except RecordsError:
            raise
        except sa.exc.IntegrityError:
            raise
        except sa.exc.SQLAlchemyError as exc:
            raise describe_db_error(exc, self.where) from exc

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """One read transaction; driver errors become RecordsError."""
        try:
            with self.engine.connect() as conn:
                with conn.begin():
                    yield conn
        except RecordsError:
            raise
        except sa.exc.SQLAlchemyError as exc:
            raise describe_db_error(exc, self.where) from exc

    # ---- trainees and content ---------------------------------------------------------

    def _trainee_id(self, conn: sa.Connection, name: str, create: bool = True) -> int | None:
        found = conn.execute(sa.select(trainees.c.id).where(trainees.c.name == name)).scalar()
        if found is not None or not create:
            return found
        # Another process may create the same trainee at this moment: insert-or-nothing, then read.
        conn.execute(self._insert_ignore(trainees, {"name": name, "created_at": self.now()}))
        return conn.execute(sa.select(trainees.c.id).where(trainees.c.name == name)).scalar_one()

    def _insert_ignore(self, table: sa.Table, values: dict):
        """INSERT … ON CONFLICT DO NOTHING in this database's dialect (no savepoint needed)."""
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(table).values(**values).on_conflict_do_nothing()

    def put_content(self, conn: sa.Connection, kind: str, body: dict) -> str:
        """Store content by its hash (once); returns the hash."""
        digest = data_hash(body)
        exists = conn.execute(sa.select(content_blobs.c.hash).where(content_blobs.c.hash == digest)).scalar()
        if exists is None:  # (stored by another process at the same moment: same hash, same body)
            conn.execute(self._insert_ignore(content_blobs, {"hash": digest, "kind": kind, "body": canonical_json(body)}))
        return digest

    def content(self, digest: str) -> dict | None:
        """Content stored by put_content, or None."""
        import json

        with self.read() as conn:
            body = conn.execute(sa.select(content_blobs.c.body).where(content_blobs.c.hash == digest)).scalar()
        return None if body is None else json.loads(body)

    # ---- attempts -----------------------------------------------------------------------

    def reconcile(self) -> list[str]:
        """Mark attempts whose writer is gone as interrupted; returns their ids.

        Gone: its lock file here can be taken (the process died), or, with no lock file to ask, no
        heartbeat for LEASE. A trainee role only looks at its own attempts (the server shows no others)."""
        cutoff = self.now() - LEASE
        with self.read() as conn:
            rows = conn.execute(
                sa.select(attempts.c.id, attempts.c.heartbeat_at)
                .where(attempts.c.status == "in_progress")).all()
        gone = []
        for row in rows:
            dead = self.liveness.gone(row.id)
            if dead or (dead is None and utc(row.heartbeat_at) < cutoff):
                gone.append(row.id)
        for attempt_id in gone:
            if self.liveness.cause(attempt_id) == "infrastructure":
                self.interrupt(attempt_id, "记录数据库无法访问，考试中断（不计入次数）", cause="infrastructure")
            else:
                self.interrupt(attempt_id, "程序在考试中途退出（进程已不在）", cause="abandoned")
        return gone

    def interrupt(self, attempt_id: str, reason: str, cause: str = "trainee") -> None:
        """Mark an in-progress attempt (and its open session) interrupted and seal it; turns are kept.

        cause: 'trainee' (they left, or their replies were wrong), 'abandoned' (the writer vanished),
        'infrastructure' (the records could not be written: it does not count against the trainee)."""
        self.close_attempt(attempt_id, status="interrupted", reason=reason, cause=cause, total=None, passed=None,
                           policy_breach=None, valid_until=None)

    def close_attempt(self, attempt_id: str, *, status: str, reason: str | None, cause: str | None,
                      total: int | None, passed: bool | None, policy_breach: bool | None,
                      valid_until: datetime | None, finished_at: datetime | None = None) -> bool:
        """Close an in-progress attempt once, with its seal; False when it was no longer in progress."""
        with self.write() as conn:
            row = conn.execute(sa.select(attempts.c.last_hash, attempts.c.chain, attempts.c.status)
                               .where(attempts.c.id == attempt_id)).first()
            if row is None or row.status != "in_progress":
                return False
            finished = finished_at or self.now()
            closing = {"status": status, "cause": cause, "finished_at": finished, "total": total, "passed": passed,
                       "policy_breach": policy_breach, "valid_until": valid_until}
            seal = seal_hash(row.last_hash, closing) if row.chain >= 2 else None
            if self.as_trainee:
                done = self.call(conn, "kefu_close_attempt", p_attempt=attempt_id, p_status=status, p_reason=reason,
                                 p_cause=cause, p_finished=finished, p_total=total, p_passed=passed,
                                 p_breach=policy_breach, p_valid=valid_until, p_seal=seal)
            else:
                done = conn.execute(attempts.update().where(attempts.c.id == attempt_id,
                                                            attempts.c.status == "in_progress")
                                    .values(status=status, status_reason=reason, cause=cause, finished_at=finished,
                                            total=total, passed=passed, policy_breach=policy_breach,
                                            valid_until=valid_until, seal=seal)).rowcount == 1
                if done and status == "interrupted":
                    conn.execute(sessions.update().where(sessions.c.attempt_id == attempt_id,
                                                         sessions.c.status == "in_progress")
                                 .values(status="interrupted", finished_at=finished))
        self.liveness.release(attempt_id)
        return bool(done)

    def attempts_used(self, trainee: str, exam_id: str) -> int:
        """How many attempts of an exam count against a trainee (interrupted ones do, unless the
        infrastructure cut them off)."""
        with self.read() as conn:
            tid = self._trainee_id(conn, check_name(trainee), create=False)
            if tid is None:
                return 0
            return self._used(conn, tid, exam_id)[0]

    @staticmethod
    def _used(conn: sa.Connection, tid: int, exam_id: str | None) -> tuple[int, int, int]:
        """(attempts that count, attempts made, extra attempts granted) of a trainee at an exam."""
        rows = conn.execute(sa.select(attempts.c.cause).where(attempts.c.trainee_id == tid,
                                                              attempts.c.exam_id == exam_id)).all()
        granted = conn.execute(sa.select(sa.func.count()).select_from(grants).where(
            grants.c.trainee_id == tid, grants.c.exam_id == exam_id)).scalar_one()
        return sum(1 for r in rows if r.cause != "infrastructure"), len(rows), granted

    def begin_attempt(
        self, *, kind: str, trainee: str, content: dict, exam_id: str | None = None,
        exam_title: str | None = None, attempts_allowed: int | None = None, seed: int | None = None,
        attempt_id: str | None = None, exam_version: int | None = None,
    ) -> "AttemptWriter":
        """Start an attempt (kind 'exam' or 'practice'); AttemptRefused beyond the limit (plus the lead's
        grants) or while another runs. Connected as a trainee role, the attempt is that trainee's."""
        name = check_name(trainee)
        if self.identity is not None and name != self.identity:
            raise RecordsError(f"你以学员 {self.identity} 的身份连接记录数据库，不能以 {name} 的名义考试。", exit_code=2)
        self.reconcile()
        attempt_id = attempt_id or uuid.uuid4().hex
        seed = random.SystemRandom().randrange(2**31) if seed is None else seed
        # Held before the row exists: another kefu's reconcile never sees this attempt without its lock.
        self.liveness.hold(attempt_id)
        try:
            start, number = self._insert_attempt(
                attempt_id=attempt_id, kind=kind, name=name, content=content, exam_id=exam_id,
                exam_title=exam_title, attempts_allowed=attempts_allowed, seed=seed, exam_version=exam_version)
        except BaseException:
            self.liveness.release(attempt_id)
            raise
        return AttemptWriter(self, attempt_id, seed, number, start)

    def _insert_attempt(self, *, attempt_id: str, kind: str, name: str, content: dict, exam_id: str | None,
                        exam_title: str | None, attempts_allowed: int | None, seed: int,
                        exam_version: int | None) -> tuple[str, int | None]:
        """Write the attempt's row (refusing one beyond the limit or beside a running one): its chain start and number."""
        scorer = scorer_hash()
        try:
            with self.write() as conn:
                tid = self._trainee_id(conn, name)
                content_hash = self.put_content(conn, kind, content)
                number = None
                if kind == "exam":
                    running = conn.execute(sa.select(attempts.c.id).where(
                        attempts.c.trainee_id == tid, attempts.c.exam_id == exam_id,
                        attempts.c.status == "in_progress")).scalar()
                    if running is not None:
                        raise AttemptRefused(_already_running(name, exam_id, running))
                    used, made, granted = self._used(conn, tid, exam_id)
                    if attempts_allowed is not None and used >= attempts_allowed + granted:
                        raise AttemptRefused(_used_up(name, exam_id, attempts_allowed + granted, used))
                    number = made + 1
                now = self.now()
                header = {"id": attempt_id, "content_hash": content_hash, "scorer_hash": scorer, "trainee": name,
                          "exam_id": exam_id, "exam_version": exam_version, "number": number, "seed": seed,
                          "started_at": now}
                start = header_start(header)
                conn.execute(attempts.insert().values(
                    id=attempt_id, kind=kind, exam_id=exam_id, exam_title=exam_title, trainee_id=tid,
                    number=number, status="in_progress", seed=seed, started_at=now, heartbeat_at=now,
                    owner=current_owner(), content_hash=content_hash, scorer_hash=scorer,
                    kefu_version=_version(), last_hash=start, exam_version=exam_version, chain=CHAIN_VERSION,
                ))
        except sa.exc.IntegrityError as exc:
            # The database's own guard: another process started an attempt at this very moment.
            raise AttemptRefused(_already_running(name, exam_id, None)) from exc
        except RecordsError as exc:
            tag = roles.raised(exc.__cause__) if exc.__cause__ is not None else None
            if tag == "limit":
                raise AttemptRefused(_used_up(name, exam_id, None, None)) from exc
            if tag == "unpublished":
                raise AttemptRefused(f"考试 {exam_id} 没有按组长发布的最新版本开始（请组长先运行 kefu exam publish {exam_id}）。") from exc
            if tag in ("number", "clock"):
                raise AttemptRefused(f"记录服务器拒绝了这次考试（{tag}）：请检查本机时间后重试。") from exc
            raise
        return start, number

    def finish_attempt(self, attempt_id: str, *, total: int | None, passed: bool | None,
                       policy_breach: bool | None, valid_until: datetime | None = None,
                       finished_at: datetime | None = None) -> None:
        """Close a graded attempt as completed (once); RecordsError when it had been closed meanwhile.

        `finished_at` is the time valid_until was computed from (default: now)."""
        if not self.close_attempt(attempt_id, status="completed", reason=None, cause=None, total=total,
                                  passed=passed, policy_breach=policy_breach, valid_until=valid_until,
                                  finished_at=finished_at):
            raise AttemptClosed(attempt_id)

    # ---- reading --------------------------------------------------------------------------

    def attempts(self, *, exam_id: str | None = None, trainee: str | None = None,
                 kind: str | None = "exam") -> list[dict[str, Any]]:
        """Attempts (newest last) with their trainee and per-scenario results."""
        query = (sa.select(attempts, trainees.c.name.label("trainee"), trainees.c.cohort)
                 .join(trainees, trainees.c.id == attempts.c.trainee_id)
                 .order_by(attempts.c.started_at, attempts.c.id))
        if kind is not None:
            query = query.where(attempts.c.kind == kind)
        if exam_id is not None:
            query = query.where(attempts.c.exam_id == exam_id)
        if trainee is not None:
            query = query.where(trainees.c.name == trainee.strip())
        with self.read() as conn:
            rows = [self._attempt_dict(r._mapping) for r in conn.execute(query)]
            by_id = {r["id"]: r for r in rows}
            if by_id:
                session_rows = conn.execute(
                    sa.select(sessions).where(sessions.c.attempt_id.in_(list(by_id)))
                    .order_by(sessions.c.attempt_id, sessions.c.position))
                for s in session_rows:
                    by_id[s.attempt_id]["sessions"].append(_session_dict(s._mapping))
        return rows

    def attempt(self, attempt_id: str) -> dict[str, Any] | None:
        """One attempt with its sessions and every turn (in order), or None."""
        with self.read() as conn:
            row = conn.execute(
                sa.select(attempts, trainees.c.name.label("trainee"), trainees.c.cohort)
                .join(trainees, trainees.c.id == attempts.c.trainee_id)
                .where(attempts.c.id == attempt_id)).first()
            if row is None:
                return None
            out = self._attempt_dict(row._mapping)
            for s in conn.execute(sa.select(sessions).where(sessions.c.attempt_id == attempt_id)
                                  .order_by(sessions.c.position)):
                item = _session_dict(s._mapping)
                item["turns"] = [
                    {k: t._mapping[k] for k in ("id", "seq", "role", "kind", "text", "seconds", "at", "mood",
                                                "state", "quick_reply", "analysis", "prev_hash", "hash")}
                    | {"recorded_at": utc(t.recorded_at)}
                    for t in conn.execute(sa.select(turns).where(turns.c.session_id == s.id).order_by(turns.c.seq))
                ]
                out["sessions"].append(item)
        return out

    @staticmethod
    def _attempt_dict(m) -> dict[str, Any]:
        out = {k: m[k] for k in ("id", "kind", "exam_id", "exam_title", "trainee", "cohort", "number", "status",
                                 "status_reason", "seed", "total", "passed", "policy_breach", "content_hash",
                                 "scorer_hash", "kefu_version", "last_hash", "exam_version", "chain", "seal",
                                 "cause")}
        for k in ("started_at", "finished_at", "heartbeat_at", "valid_until"):
            out[k] = utc(m[k])
        out["sessions"] = []
        return out

    # ---- practice ---------------------------------------------------------------------------

    def best_scores(self, trainee: str) -> dict[str, int]:
        """Scenario id -> the trainee's best practice total (imported best scores included)."""
        with self.read() as conn:
            tid = self._trainee_id(conn, check_name(trainee), create=False)
            if tid is None:
                return {}
            best: dict[str, int] = {}
            played = conn.execute(
                sa.select(sessions.c.scenario_id, sa.func.max(sessions.c.total))
                .join(attempts, attempts.c.id == sessions.c.attempt_id)
                .where(attempts.c.trainee_id == tid, attempts.c.kind == "practice",
                       sessions.c.status == "completed", sessions.c.total.is_not(None))
                .group_by(sessions.c.scenario_id))
            imported = conn.execute(sa.select(imported_best.c.scenario_id, imported_best.c.total)
                                    .where(imported_best.c.trainee_id == tid))
            for scenario_id, total in [*played, *imported]:
                if total is not None and (scenario_id not in best or best[scenario_id] < total):
                    best[scenario_id] = int(total)
        return best

    def import_best(self, trainee: str, scores: dict[str, int], marker: str) -> bool:
        """Import old best scores once (keyed by `marker`); False when already imported."""
        with self.write() as conn:
            if conn.execute(sa.select(meta.c.value).where(meta.c.key == marker)).scalar() is not None:
                return False
            tid = self._trainee_id(conn, check_name(trainee))
            for scenario_id, total in scores.items():
                conn.execute(self._insert_ignore(imported_best, {"trainee_id": tid, "scenario_id": scenario_id,
                                                                 "total": total}))
            # Two practice rooms importing at the same moment: the first marker wins, the rows are the same.
            conn.execute(self._insert_ignore(meta, {"key": marker, "value": self.now().isoformat()}))
        return True

    def heartbeat(self, attempt_id: str) -> bool:
        """The writer of an in-progress attempt is alive (a trainee thinking long writes no turns).

        False when the attempt is no longer in progress: its writer should stop."""
        with self.write() as conn:
            if self.as_trainee:
                return bool(self.call(conn, "kefu_touch", p_attempt=attempt_id, p_last=None))
            return conn.execute(attempts.update().where(attempts.c.id == attempt_id,
                                                        attempts.c.status == "in_progress")
                                .values(heartbeat_at=self.now())).rowcount == 1

    def get_meta(self, key: str) -> str | None:
        with self.read() as conn:
            return conn.execute(sa.select(meta.c.value).where(meta.c.key == key)).scalar()

    # ---- the team lead's review: new rows only (simulator/records/review.py, which never imports this) --

    def add_comment(self, attempt_id: str, turn_id: int, author: str, text: str) -> int:
        return review.add_comment(self, attempt_id, turn_id, author, text)

    def add_verdict(self, attempt_id: str, author: str, text: str) -> int:
        return review.add_verdict(self, attempt_id, author, text)

    def add_override(self, attempt_id: str, author: str, total: int, passed: bool, reason: str) -> int:
        return review.add_override(self, attempt_id, author, total, passed, reason)

    def review_of(self, attempt_id: str) -> dict[str, list[dict[str, Any]]]:
        return review.review_of(self, attempt_id)

    def overrides_by_attempt(self) -> dict[str, dict[str, Any]]:
        return review.overrides_by_attempt(self)


class AttemptClosed(RecordsError):
    """The attempt was closed (interrupted, voided) while this process still had it open: stop writing."""

    def __init__(self, attempt_id: str) -> None:
        super().__init__(f"这次考试（{attempt_id[:8]}）已被关闭（标记为中断或作废），不能再写入；之后的内容没有记录。")


def _used_up(name: str, exam_id: str | None, allowed: int | None, used: int | None) -> str:
    counts = f"的 {allowed} 次机会（已考 {used} 次）" if allowed is not None else "的全部机会"
    return f"{name} 已用完考试 {exam_id} {counts}，不能再考。如需加考请找组长（kefu attempt grant）。"


def _already_running(name: str, exam_id: str | None, running: str | None) -> str:
    which = f"（{running[:8]}）" if running else ""
    return f"{name} 的考试 {exam_id} 已有一次正在进行{which}，同一时间只能考一次。请先完成它。"


def _session_dict(m) -> dict[str, Any]:
    out = {k: m[k] for k in ("id", "position", "scenario_id", "scenario_title", "seed", "content_hash", "status",
                             "end_reason", "end_at", "outcome", "policy_breach", "total", "apology",
                             "empathy", "question", "solution", "deductions", "scorecard")}
    out["started_at"], out["finished_at"] = utc(m["started_at"]), utc(m["finished_at"])
    return out


def _version() -> str:
    from simulator import __version__

    return __version__


# ---- writers --------------------------------------------------------------------------------


class AttemptWriter:
    """Writes one attempt: its sessions, their turns (each committed at once), its result."""

    def __init__(self, store: RecordStore, attempt_id: str, seed: int, number: int | None, chain: str,
                 version: int = CHAIN_VERSION) -> None:
        self.store = store
        self.attempt_id = attempt_id
        self.seed = seed
        self.number = number
        self.last_hash = chain
        self.chain = version

    def begin_session(self, position: int, scenario, persona, seed: int) -> "SessionWriter":
        """Start the conversation at `position` with this scenario and persona (stored as content)."""
        from simulator.records.hashing import scenario_content

        return self.begin_session_raw(position, scenario.id, scenario.title, seed, scenario_content(scenario, persona))

    def begin_session_raw(self, position: int, scenario_id: str, title: str, seed: int,
                          content: dict) -> "SessionWriter":
        """Start a conversation described by plain data (e.g. a practice score without its content)."""
        store = self.store
        with store.write() as conn:
            digest = store.put_content(conn, "scenario", content)
            session_id = conn.execute(sessions.insert().values(
                attempt_id=self.attempt_id, position=position, scenario_id=scenario_id,
                scenario_title=title, seed=seed, content_hash=digest, status="in_progress",
                started_at=store.now()).returning(sessions.c.id)).scalar_one()
        return SessionWriter(self, session_id, position)

    def finish(self, *, total: int | None, passed: bool | None, policy_breach: bool | None,
               valid_until: datetime | None = None, finished_at: datetime | None = None) -> None:
        self.store.finish_attempt(self.attempt_id, total=total, passed=passed, policy_breach=policy_breach,
                                  valid_until=valid_until, finished_at=finished_at)

    def interrupt(self, reason: str, cause: str = "trainee") -> None:
        self.store.interrupt(self.attempt_id, reason, cause)


class SessionWriter:
    """Writes one conversation of an attempt."""

    def __init__(self, attempt: AttemptWriter, session_id: int, position: int) -> None:
        self.attempt = attempt
        self.session_id = session_id
        self.position = position
        self.seq = 0

    def add_turn(self, *, role: str, kind: str, text: str, seconds: float | None, at: float, mood: int,
                 state: str, quick_reply: bool = False, analysis: dict | None = None) -> str:
        """Commit one line of the conversation now; returns its chained hash."""
        return self.add_turns([{"role": role, "kind": kind, "text": text, "seconds": seconds, "at": at, "mood": mood,
                                "state": state, "quick_reply": quick_reply, "analysis": analysis}])

    def add_turns(self, lines: list[dict]) -> str:
        """Commit the lines one engine call produced (a reply and the customer's answer) together, in one
        transaction: a process stopped at any moment leaves every call's lines whole or absent, never
        half, so an honest interrupted attempt replays exactly. AttemptClosed when the attempt was
        closed meanwhile (nothing is written). Returns the new head of the chain."""
        attempt, store = self.attempt, self.attempt.store
        now = store.now()
        prev, rows = attempt.last_hash, []
        for n, line in enumerate(lines):
            turn = {"seq": self.seq + n, "role": line["role"], "kind": line["kind"], "text": line["text"],
                    "seconds": line["seconds"], "at": float(line["at"]), "mood": int(line["mood"]),
                    "state": line["state"], "quick_reply": bool(line.get("quick_reply")), "recorded_at": now}
            digest = chain_hash(prev, self.position, turn, attempt.chain)
            rows.append({**turn, "session_id": self.session_id, "analysis": line.get("analysis"),
                         "prev_hash": prev, "hash": digest})
            prev = digest
        if not rows:
            return prev
        with store.write() as conn:
            conn.execute(turns.insert(), rows)
            if store.as_trainee:
                alive = store.call(conn, "kefu_touch", p_attempt=attempt.attempt_id, p_last=prev)
            else:
                alive = conn.execute(attempts.update().where(attempts.c.id == attempt.attempt_id,
                                                             attempts.c.status == "in_progress")
                                     .values(last_hash=prev, heartbeat_at=now)).rowcount == 1
            if not alive:
                raise AttemptClosed(attempt.attempt_id)  # rolls the lines back: the attempt is not ours any more
        attempt.last_hash = prev
        self.seq += len(rows)
        return prev

    def finish(self, *, outcome: str, policy_breach: bool, scorecard: dict, end_reason: str,
               end_at: float | None) -> None:
        """The conversation is over and graded."""
        store = self.attempt.store
        with store.write() as conn:
            if store.as_trainee:
                import json

                if not store.call(conn, "kefu_finish_session", p_session=self.session_id, p_outcome=outcome,
                                  p_breach=policy_breach, p_end_reason=end_reason, p_end_at=end_at,
                                  p_card=json.dumps(scorecard, ensure_ascii=False)):
                    raise AttemptClosed(self.attempt.attempt_id)
                return
            conn.execute(sessions.update().where(sessions.c.id == self.session_id).values(
                status="completed", finished_at=store.now(), outcome=outcome, policy_breach=policy_breach,
                end_reason=end_reason, end_at=end_at, scorecard=scorecard,
                total=scorecard.get("total"), apology=scorecard.get("apology"), empathy=scorecard.get("empathy"),
                question=scorecard.get("question"), solution=scorecard.get("solution"),
                deductions=scorecard.get("deductions")))
