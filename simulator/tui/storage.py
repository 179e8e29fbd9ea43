"""The trainer's small persistence: best scores per scenario and saved reports (JSON + Markdown).

Best scores live in the records store (simulator.records.practice). Every file write goes to a
temporary file in the same folder first, so a crash or a full disk never leaves a half-written
file behind; temp files left by an interrupted save are removed later (clean_leftovers).
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from simulator.atomic import atomic_write_text as _atomic_write_text, write_temp

BEST_SCORES_FILE = "best_scores.json"
REPORTS_DIR = "reports"

ROLE_NAMES = {"customer": "顾客", "trainee": "客服"}
OUTCOME_NAMES = {
    "resolved": "问题解决",
    "escalated": "投诉升级",
    "abandoned": "顾客离开",
    "unfinished": "提前结束",
}


LEFTOVER_SECONDS = 600.0
"""A temp file of an atomic write older than this is a leftover of an interrupted save."""


def _write_temp(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_temp(path, text)


def atomic_write_text(path: Path, text: str) -> None:
    """Write text to path atomically, creating its folder (simulator.atomic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write_text(path, text)


def write_new_text(path: Path, text: str) -> bool:
    """Write text to path atomically, only if no file has that name; False when one has.

    The complete file appears under its name in one step (a hard link of the temp file, which
    fails rather than replaces), so two processes saving the same name at once never overwrite.
    """
    tmp = _write_temp(path, text)
    try:
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:
            # A filesystem without hard links: claim the name exclusively, then fill it.
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                return False
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
        return True
    finally:
        Path(tmp).unlink(missing_ok=True)


def clean_leftovers(folder: Path, now: float | None = None, max_age: float = LEFTOVER_SECONDS) -> list[Path]:
    """Remove temp files of interrupted atomic writes (older than max_age seconds); returns them.

    Young ones may belong to a save in progress in another process and are left alone.
    """
    import time

    now = time.time() if now is None else now
    removed = []
    try:
        candidates = [p for p in Path(folder).iterdir() if p.name.startswith(".") and p.name.endswith(".tmp")]
    except OSError:
        return removed
    for path in candidates:
        try:
            if path.is_file() and not path.is_symlink() and now - path.stat().st_mtime > max_age:
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed


class BestScores:
    """Best total per scenario for this machine's trainee, kept in the records store (kefu.db).

    Derived from the practice sessions recorded there (so two practice rooms sharing the folder
    never lose each other's scores); an old best_scores.json is imported once (see
    simulator.records.practice). `warning` says what went wrong, if anything: nothing here raises
    for a damaged, special or unreadable file.
    """

    def __init__(self, records_dir: Path, trainee: str | None = None) -> None:
        from simulator.records.practice import PracticeRecords, local_trainee

        self.records = PracticeRecords(Path(records_dir), trainee or local_trainee())

    @property
    def warning(self) -> str:
        return self.records.warning

    def load(self) -> dict[str, int]:
        """Scenario id -> best total ({} when the records cannot be read; see warning)."""
        return self.records.best_scores()

    def get(self, scenario_id: str) -> int | None:
        return self.load().get(scenario_id)

    def record(self, scenario_id: str, total: int) -> bool:
        """Keep a practice total; True when it beats the best so far."""
        return self.records.record_total(scenario_id, total)


def _fmt_seconds(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds:.0f}秒"


def render_markdown(report: dict[str, Any]) -> str:
    """The saved report as Markdown (Chinese), from the same dict that is saved as JSON."""
    card = report["scorecard"]
    lines = [
        f"# {report['title']}（{report['scenario_id']}）",
        "",
        f"- 结果：{OUTCOME_NAMES.get(report['outcome'], report['outcome'])}",
        f"- 种子：{report['seed']}",
        f"- 总分：{card['total']}（道歉 {card['apology']}，共情 {card['empathy']}，"
        f"提问 {card['question']}，方案 {card['solution']}，扣分 {card['deductions']}）",
        "",
        "## 对话记录",
        "",
    ]
    for turn in report["transcript"]:
        who = ROLE_NAMES.get(turn["role"], turn["role"])
        extra = f"（{_fmt_seconds(turn.get('seconds'))}）" if turn["role"] == "trainee" else ""
        lines.append(f"**{who}**{extra}：{turn['text']}")
        lines.append("")
    lines += ["## 得分明细", ""]
    for item in card["items"]:
        sign = f"+{item['points']}" if item["points"] > 0 else str(item["points"])
        where = f"第{item['turn'] + 1}句" if item.get("turn") is not None else "整场"
        line = f"- [{item['rule']}] {sign}（{where}）{item['reason']}"
        if item.get("quote"):
            line += f" 原话：“{item['quote']}”"
        if item.get("better"):
            line += f" 更好的说法：“{item['better']}”"
        lines.append(line)
    lines += ["", "## 建议", ""]
    lines += [f"{i}. {tip}" for i, tip in enumerate(card.get("tips", []), 1)]
    return "\n".join(lines) + "\n"


def save_report(records_dir: Path, report: dict[str, Any], now: datetime | None = None) -> tuple[Path, Path]:
    """Save a finished conversation as JSON and Markdown under records_dir/reports; returns both paths.

    Names are unique even when two practice rooms save in the same second: each name is claimed
    atomically (write_new_text) and the next free one is taken when it is already used.
    """
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = Path(records_dir) / REPORTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    clean_leftovers(folder)
    body = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    markdown = render_markdown(report)
    n = 1
    while True:
        base = f"{stamp}-{report['scenario_id']}" + (f"-{n}" if n > 1 else "")
        json_path, md_path = folder / f"{base}.json", folder / f"{base}.md"
        n += 1
        if md_path.exists() or not write_new_text(json_path, body):
            continue
        if write_new_text(md_path, markdown):
            return json_path, md_path
        json_path.unlink(missing_ok=True)  # the Markdown name was taken meanwhile: try the next pair
