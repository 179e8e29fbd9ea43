"""A case write-up: one attempt's conversation as Markdown for the team's case library, with the
lead's comments at the turns they belong to, the verdict, and any override beside the computed score.
"""

from __future__ import annotations

from typing import Any

from simulator.desk.cohort import DIMENSION_NAMES, DIMENSIONS
from simulator.desk.when import stamp
from simulator.desk.words import OUTCOMES, acts_of, number, word
from simulator.safetext import terminal

ROLE_NAMES = {"customer": "顾客", "trainee": "客服"}


def _md(text: Any) -> str:
    """Trainee text as Markdown prose: no raw HTML, no accidental headings or lists, one line."""
    value = terminal(text, one_line=True)
    value = value.replace("\\", "\\\\").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "`*_[]#|":
        value = value.replace(ch, "\\" + ch)
    return " ".join(value.split())


def case_file_name(attempt: dict[str, Any]) -> str:
    """The write-up's file name inside the cases folder: the exam id reduced to safe characters, so
    no id (`../../x`) can send the file outside the folder."""
    import re

    exam = re.sub(r"[^A-Za-z0-9_-]+", "_", attempt.get("exam_id") or "practice").strip("_.") or "exam"
    return f"{exam[:60]}-{attempt['id'][:8]}.md"


def case_markdown(attempt: dict[str, Any], review: dict[str, list[dict]]) -> str:
    """The write-up of `attempt` (store.attempt()) with its review (store.review_of())."""
    comments: dict[int, list[dict]] = {}
    for c in review["comments"]:
        comments.setdefault(c["turn_id"], []).append(c)
    override = review["overrides"][-1] if review["overrides"] else None
    score = "—" if attempt["total"] is None else str(attempt["total"])
    if override:
        score += f"（组长改为 {override['total']}，理由：{_md(override['reason'])}）"
    lines = [f"# 案例：{_md(attempt['exam_title'] or attempt['exam_id'] or '练习')} · {_md(attempt['trainee'])}", "",
             f"- 考试记录：`{attempt['id']}`（第 {attempt['number'] or '—'} 次）",
             f"- 开始时间：{stamp(attempt['started_at'], with_zone=True)}",
             f"- 得分：{score}", f"- 内容哈希：`{attempt['content_hash'][:16]}`，评分器：`{attempt['scorer_hash'][:16]}`"]
    if review["verdicts"]:
        v = review["verdicts"][-1]
        lines += ["", "## 组长结论", "", f"> {_md(v['text'])}（{_md(v['author'])}）"]
    for s in attempt["sessions"]:
        dims = "，".join(f"{DIMENSION_NAMES[d]} {s[d]}" for d in DIMENSIONS if s.get(d) is not None)
        lines += ["", f"## {_md(s['scenario_title'])}（{_md(s['scenario_id'])}）", "",
                  f"总分 {number(s['total'])}" + (f"；{dims}" if dims else "")
                  + (f"；结果：{word(OUTCOMES, s['outcome'])}" if s.get("outcome") else "")
                  + ("；**超出政策**" if s.get("policy_breach") else "")
                  + (f"；违规扣 {s['deductions']} 分" if s.get("deductions") else ""), ""]
        for t in s.get("turns", []):
            timing = f"+{t['at']:.0f}s" + (f"，用时 {t['seconds']:.0f} 秒" if t["seconds"] is not None else "")
            acts = "、".join(acts_of(t.get("analysis"))) if t["role"] == "trainee" else ""
            lines.append(f"- **{ROLE_NAMES.get(t['role'], t['role'])}**（{timing}，情绪 {t['mood']}）：{_md(t['text'])}"
                         + (f"  \n  读到的动作：{acts}" if acts else ""))
            for c in comments.get(t["id"], []):
                lines.append(f"  > 组长批注（{_md(c['author'])}）：{_md(c['text'])}")
    lines += ["", "---", "由 kefu 导出（kefu writeup）。批注不改变分数。", ""]
    return "\n".join(lines)
