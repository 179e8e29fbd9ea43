"""The trainer's small persistence: best scores per scenario and saved reports (JSON + Markdown).

Every write goes to a temporary file in the same folder and is then moved over the old file
(os.replace), so a crash or a full disk never leaves a half-written file behind.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

BEST_SCORES_FILE = "best_scores.json"
REPORTS_DIR = "reports"

ROLE_NAMES = {"customer": "顾客", "trainee": "客服"}
OUTCOME_NAMES = {
    "resolved": "问题解决",
    "escalated": "投诉升级",
    "abandoned": "顾客离开",
    "unfinished": "提前结束",
}


def atomic_write_text(path: Path, text: str) -> None:
    """Write text to path atomically (temp file in the same folder, fsync, os.replace)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class BestScores:
    """Best total score per scenario id on this machine (records_dir/best_scores.json)."""

    def __init__(self, records_dir: Path) -> None:
        self.path = Path(records_dir) / BEST_SCORES_FILE

    def _read(self) -> tuple[dict[str, int], bool]:
        """(the valid entries, whether the file holds nothing else) -- a missing file is clean and empty.

        A valid entry is a str scenario id -> a finite number 0..100; anything else in the file
        (not JSON, the wrong shape, bad entries, unknown keys) makes it "damaged": the valid entries
        are still read, but the file is moved aside before it is next written (see record).
        """
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}, True
        except (OSError, ValueError, RecursionError):
            return {}, False
        if not isinstance(data, dict):
            return {}, False
        raw = data.get("best", {})
        if not isinstance(raw, dict):
            return {}, False
        scores: dict[str, int] = {}
        for key, value in raw.items():
            if not isinstance(key, str) or isinstance(value, bool) or not isinstance(value, (int, float)):
                continue
            try:
                if not (math.isfinite(value) and 0 <= value <= 100):
                    continue
                scores[key] = int(value)
            except (TypeError, ValueError, OverflowError):
                continue
        clean = set(data) <= {"best"} and raw == scores and all(type(v) is int for v in raw.values())
        return scores, clean

    def load(self) -> dict[str, int]:
        """Scenario id -> best total; an unreadable file reads as empty and bad entries are skipped
        (the file itself is never overwritten blindly: record moves a damaged one aside first)."""
        return self._read()[0]

    def _damaged_path(self) -> Path:
        """best_scores.json.damaged, or .damaged-2, -3, ... so an earlier damaged file is never replaced."""
        candidate, n = self.path.with_suffix(".json.damaged"), 1
        while candidate.exists():
            n += 1
            candidate = self.path.with_suffix(f".json.damaged-{n}")
        return candidate

    def get(self, scenario_id: str) -> int | None:
        return self.load().get(scenario_id)

    def record(self, scenario_id: str, total: int) -> bool:
        """Keep total if it beats the best so far; True when it is a new best."""
        scores, clean = self._read()
        moved_aside = not clean and self.path.exists()
        if moved_aside:
            # Keep a damaged file aside rather than losing whatever it held; its valid entries carry over.
            os.replace(self.path, self._damaged_path())
        new_best = scenario_id not in scores or scores[scenario_id] < total
        if new_best:
            scores[scenario_id] = int(total)
        if new_best or moved_aside:
            atomic_write_text(self.path, json.dumps({"best": scores}, ensure_ascii=False, indent=2) + "\n")
        return new_best


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
    """Save a finished conversation as JSON and Markdown under records_dir/reports; returns both paths."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = Path(records_dir) / REPORTS_DIR
    base = f"{stamp}-{report['scenario_id']}"
    n = 1
    while (folder / f"{base}.json").exists() or (folder / f"{base}.md").exists():
        n += 1
        base = f"{stamp}-{report['scenario_id']}-{n}"
    json_path, md_path = folder / f"{base}.json", folder / f"{base}.md"
    atomic_write_text(json_path, json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    atomic_write_text(md_path, render_markdown(report))
    return json_path, md_path
