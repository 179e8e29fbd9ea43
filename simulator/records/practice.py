"""Practice history and best scores in the records store (replacing $KEFU_HOME/best_scores.json).

Practice stays on the trainee's machine: SQLite at `records_dir/kefu.db` (the practice room's
$KEFU_HOME), whatever `$KEFU_DB` says, so private practice never lands on the team's server.
Each finished conversation is a practice attempt with its turns and scorecard; a best score is
the highest total of them, so two practice rooms sharing a folder never overwrite each other.
An old best_scores.json is imported once, read with a size bound; a FIFO, a device or a link to
one is refused with a warning and never opened.
"""

from __future__ import annotations

import getpass
import json
import math
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from simulator.records.errors import RecordsError
from simulator.records.store import DB_FILE, RecordStore, open_store

LEGACY_FILE = "best_scores.json"
LEGACY_MAX_BYTES = 1024 * 1024
TRAINEE_ENV = "KEFU_TRAINEE"


def local_trainee() -> str:
    """Whose practice this is: $KEFU_TRAINEE, else the login name."""
    name = os.environ.get(TRAINEE_ENV, "").strip()
    if name:
        return name
    try:
        return getpass.getuser() or "本机"
    except Exception:  # noqa: BLE001 - no login name (containers): one local trainee
        return "本机"


def parse_best_scores(text: str) -> tuple[dict[str, int], bool]:
    """(valid entries, whether the file held nothing else) of an old best_scores.json.

    A valid entry is a text scenario id -> a finite number 0..100; anything else is skipped.
    """
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return {}, False
    if not isinstance(data, dict) or not isinstance(data.get("best", {}), dict):
        return {}, False
    raw = data.get("best", {})
    scores: dict[str, int] = {}
    for key, value in raw.items():
        if not isinstance(key, str) or isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        try:
            if math.isfinite(value) and 0 <= value <= 100:
                scores[key] = int(value)
        except (TypeError, ValueError, OverflowError):
            continue
    clean = set(data) <= {"best"} and raw == scores
    return scores, clean


def read_legacy(path: Path) -> tuple[dict[str, int] | None, str]:
    """(scores, warning) from an old best_scores.json; None when there is nothing to import.

    Never opens a FIFO or a device (it would block or never end) and never reads more than
    LEGACY_MAX_BYTES; a warning (Chinese) says what was refused.
    """
    try:
        info = os.stat(path)  # follows a symlink: a link to /dev/zero is a device
    except FileNotFoundError:
        return None, ""
    except OSError as exc:
        return None, f"无法读取旧的最好成绩文件 {path}：{exc.strerror or exc}"
    if not stat.S_ISREG(info.st_mode):
        return None, f"旧的最好成绩文件 {path} 不是普通文件（管道或设备），已跳过，没有读取"
    try:
        # O_NONBLOCK: if it became a FIFO since the check, opening still cannot hang.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                return None, f"旧的最好成绩文件 {path} 不是普通文件，已跳过"
            raw = f.read(LEGACY_MAX_BYTES + 1)
    except OSError as exc:
        return None, f"无法读取旧的最好成绩文件 {path}：{exc.strerror or exc}"
    if len(raw) > LEGACY_MAX_BYTES:
        return None, f"旧的最好成绩文件 {path} 太大（超过 1 MB），已跳过"
    scores, clean = parse_best_scores(raw.decode("utf-8", "replace"))
    warning = "" if clean else f"旧的最好成绩文件 {path} 有损坏的部分；能读的 {len(scores)} 条已导入，原文件保持不变"
    return scores, warning


@dataclass
class PracticeRecords:
    """The practice room's records in one folder; every method turns database trouble into `warning`."""

    records_dir: Path
    trainee: str = field(default_factory=local_trainee)
    warning: str = ""

    def _open(self) -> RecordStore:
        store = open_store(str(Path(self.records_dir) / DB_FILE))
        self._import_once(store)
        return store

    def _import_once(self, store: RecordStore) -> None:
        path = Path(self.records_dir) / LEGACY_FILE
        marker = f"imported:{LEGACY_FILE}:{self.trainee}"
        if not os.path.lexists(path) or store.get_meta(marker) is not None:
            return
        scores, warning = read_legacy(path)
        if warning:
            self.warning = warning
        if scores is not None:
            store.import_best(self.trainee, scores, marker)

    def best_scores(self) -> dict[str, int]:
        """Scenario id -> best total; {} (with a warning) when the records cannot be read."""
        try:
            with self._open() as store:
                return store.best_scores(self.trainee)
        except RecordsError as error:
            self.warning = error.message
            return {}

    def record(self, scenario, persona, seed: int, session, scorecard) -> tuple[bool, int | None]:
        """Keep a finished conversation (turns and scorecard); (new best?, previous best)."""
        with self._open() as store:
            previous = store.best_scores(self.trainee).get(scenario.id)
            writer = store.begin_attempt(kind="practice", trainee=self.trainee, content={"scenario": scenario.id},
                                         seed=seed)
            session_writer = writer.begin_session(0, scenario, persona, seed)
            # One transaction for the whole conversation: a practice run is kept whole or not at all.
            session_writer.add_turns([
                {"role": turn.role, "kind": "trainee" if turn.role == "trainee" else "reply", "text": turn.text,
                 "seconds": turn.seconds, "at": 0.0, "mood": turn.mood, "state": turn.state}
                for turn in getattr(session, "transcript", [])])
            card = scorecard.model_dump(mode="json") if hasattr(scorecard, "model_dump") else dict(scorecard)
            outcome = getattr(session, "outcome", None) or "unfinished"
            breach = bool(getattr(session, "policy_breach", False))
            session_writer.finish(outcome=outcome, policy_breach=breach, scorecard=card, end_reason="trainee",
                                  end_at=None)
            writer.finish(total=card["total"], passed=None, policy_breach=breach)
        return previous is None or previous < card["total"], previous

    def record_total(self, scenario_id: str, total: int) -> bool:
        """Keep a practice score alone (no conversation); True when it is a new best."""
        with self._open() as store:
            previous = store.best_scores(self.trainee).get(scenario_id)
            writer = store.begin_attempt(kind="practice", trainee=self.trainee, content={"scenario": scenario_id},
                                         seed=0)
            session_writer = writer.begin_session_raw(0, scenario_id, scenario_id, 0, {"scenario_id": scenario_id})
            session_writer.finish(outcome="unfinished", policy_breach=False, scorecard={"total": int(total)},
                                  end_reason="trainee", end_at=None)
            writer.finish(total=int(total), passed=None, policy_breach=False)
        return previous is None or previous < total
