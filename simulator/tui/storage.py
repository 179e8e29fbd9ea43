"""The trainer's small persistence: best scores per scenario and saved reports (JSON + Markdown).

Every write goes to a temporary file in the same folder and is then moved over the old file
(os.replace), so a crash or a full disk never leaves a half-written file behind.
"""

from __future__ import annotations

import json
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

    def load(self) -> dict[str, int]:
        """Scenario id -> best total; an unreadable file reads as empty (and is never overwritten blindly)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        scores = data.get("best", {}) if isinstance(data, dict) else {}
        return {str(k): int(v) for k, v in scores.items() if isinstance(v, (int, float))}

    def get(self, scenario_id: str) -> int | None:
        return self.load().get(scenario_id)

    def record(self, scenario_id: str, total: int) -> bool:
        """Keep total if it beats the best so far; True when it is a new best."""
        if self.path.exists():
            try:
                json.loads(self.path.read_text(encoding="utf-8"))
            except ValueError:
                # Keep a damaged file aside rather than losing whatever it held.
                os.replace(self.path, self.path.with_suffix(".json.damaged"))
        scores = self.load()
        if scenario_id in scores and scores[scenario_id] >= total:
            return False
        scores[scenario_id] = int(total)
        atomic_write_text(self.path, json.dumps({"best": scores}, ensure_ascii=False, indent=2) + "\n")
        return True


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
