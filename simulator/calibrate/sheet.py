"""The blind grading sheet: a seeded sample of finished exam conversations, stratified over the
machine's score range, written as a CSV to fill in (UTF-8 with BOM, opens in Excel/WPS) and an HTML
file with every sampled conversation under its row number — timed, with no score and no coaching.

The rows are shuffled (seeded) after the draw: their order must not give the machine's scores away.
"""

from __future__ import annotations

import csv
import io
import random
from html import escape
from typing import Any

from simulator.calibrate.statistics import band

COLUMNS = ("序号", "考试记录", "场景", "评分人", "道歉", "共情", "提问", "方案", "总分", "是否通过", "备注")
"""The sheet's columns, in this order (the import reads them by these names)."""
SCORE_COLUMNS = {"道歉": "apology", "共情": "empathy", "提问": "question", "方案": "solution", "总分": "total"}
DEFAULT_SAMPLE = 30
ROLE_NAMES = {"customer": "顾客", "trainee": "客服"}


def draw_sample(conversations: list[dict[str, Any]], size: int, seed: int) -> list[dict[str, Any]]:
    """`size` conversations (all, when fewer), spread evenly over the machine's ten score bands, then
    shuffled; the same conversations, size and seed always give the same sheet."""
    rng = random.Random(seed)
    bands: dict[int, list[dict[str, Any]]] = {}
    for c in sorted(conversations, key=lambda c: (c["attempt_id"], c["position"])):
        bands.setdefault(band(c["total"]), []).append(c)
    for members in bands.values():
        rng.shuffle(members)
    chosen: list[dict[str, Any]] = []
    order = sorted(bands)
    while len(chosen) < size and any(bands[b] for b in order):
        for b in order:  # one from each band in turn: the sample covers the whole range
            if bands[b] and len(chosen) < size:
                chosen.append(bands[b].pop())
    rng.shuffle(chosen)
    return chosen


def sheet_csv(sample: list[dict[str, Any]]) -> bytes:
    """The CSV to fill in: one row per conversation, the grader and score columns empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180 quoting, CRLF line ends: what spreadsheets expect
    writer.writerow(COLUMNS)
    for n, c in enumerate(sample, 1):
        writer.writerow([n, c["attempt_id"], c["scenario_id"], "", "", "", "", "", "", "", ""])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:0 auto;max-width:900px;padding:24px;color:#1d2733;background:#f7f8fa;line-height:1.6}
h1{font-size:24px}h2{font-size:18px;margin:28px 0 6px;border-bottom:2px solid #d5dbe3}
.muted{color:#6b7785;font-size:13px}table{border-collapse:collapse;width:100%;background:#fff;font-size:14px}
td{border:1px solid #d5dbe3;padding:4px 8px;vertical-align:top}td.time{white-space:nowrap;color:#6b7785;width:7em}
td.who{white-space:nowrap;width:3em}.customer td.text{background:#fff7ed}.trainee td.text{background:#eef6ff}
"""


def _clock(seconds: float | None) -> str:
    total = int(round(seconds or 0))
    return f"{total // 60:02d}:{total % 60:02d}"


def sheet_html(sample: list[dict[str, Any]], turns: dict[int, list[dict[str, Any]]], title: str, csv_name: str) -> str:
    """Every sampled conversation under its row number: who said what, when, and how long the trainee
    took — no score, no coaching, no trainee name."""
    parts = [f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>盲评对话：{escape(title)}</title>"
             f"<style>{CSS}</style></head><body>",
             f"<h1>盲评对话：{escape(title)}</h1>",
             f"<p class='muted'>共 {len(sample)} 段对话。请按序号在 {escape(csv_name)} 里填写：评分人、道歉、共情、提问、方案、"
             "总分（0–100）、是否通过（是/否）、备注。每位评分人填自己的一行（可复制行）。这里不显示机器的分数。</p>"]
    for n, c in enumerate(sample, 1):
        parts.append(f"<h2 id='row-{n}'>第 {n} 行 · {escape(c['scenario_title'])}</h2>"
                     f"<p class='muted'>考试记录 {escape(c['attempt_id'])} · 场景 {escape(c['scenario_id'])}</p><table>")
        for t in turns.get(c["id"], []):
            took = f"<br>用时 {t['seconds']:.0f} 秒" if t["role"] == "trainee" and t.get("seconds") is not None else ""
            parts.append(f"<tr class='{escape(t['role'])}'><td class='time'>{_clock(t['at'])}{took}</td>"
                         f"<td class='who'>{ROLE_NAMES.get(t['role'], escape(t['role']))}</td>"
                         f"<td class='text'>{escape(t['text'])}</td></tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)
