"""The Chinese words a team lead and a trainee read for the records' codes (issue 20 §4): outcomes,
attempt states, the reader's acts, violations. An unknown code is shown as 其他 with the code in
brackets, never raw on its own and never as None.
"""

from __future__ import annotations

from typing import Any

OUTCOMES = {"resolved": "问题解决", "escalated": "投诉升级", "abandoned": "顾客离开", "unfinished": "提前结束"}
ATTEMPT_STATES = {"in_progress": "进行中", "completed": "已完成", "interrupted": "中断"}
ACTS = {
    "apology": "道歉", "empathy": "共情", "question": "提问", "offer": "给出方案", "refusal": "拒绝",
    "limit": "说明权限", "handoff": "转交", "explanation": "解释原因", "request": "请顾客提供",
    "instructions": "告知做法", "thanks": "感谢", "close": "收尾承诺", "violation": "违规",
    "none": "寒暄",
}
VIOLATIONS = {"insult": "辱骂", "refusal": "生硬拒绝", "excuse": "找借口", "contradict": "反驳顾客",
              "overpromise": "超出权限的承诺", "stall": "拖延"}
NONE = "—"
"""What is shown where there is no value (no score yet, no outcome)."""


def word(table: dict[str, str], code: Any) -> str:
    """The Chinese word for `code` in `table`; — for None; 其他（code） for an unknown code."""
    if code is None or code == "":
        return NONE
    return table.get(str(code), f"其他（{code}）")


def number(value: Any) -> str:
    """A score or count as shown: the number, or — when there is none."""
    return NONE if value is None else str(value)


def acts_of(analysis: dict | None) -> list[str]:
    """The reader's acts of one reply in Chinese (a violation named by its kind)."""
    out = []
    for act in (analysis or {}).get("acts") or []:
        kind = act.get("kind")
        if kind == "violation" and act.get("violation"):
            out.append(f"违规：{word(VIOLATIONS, act.get('violation'))}")
        else:
            out.append(word(ACTS, kind))
    return out
