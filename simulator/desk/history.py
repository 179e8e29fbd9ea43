"""A trainee's own history: every exam attempt with its score (and the lead's override beside it),
the lead's verdict, and each comment with the line it is on — what `kefu history` prints."""

from __future__ import annotations

from typing import Any

ROLE_NAMES = {"customer": "顾客", "trainee": "我"}
STATUS = {"in_progress": "进行中", "completed": "已完成", "interrupted": "中断"}


def history_text(attempts: list[dict[str, Any]], reviews: dict[str, dict], turns_by_id: dict[int, dict],
                 review_states: dict[str, dict] | None = None) -> str:
    """The trainee's attempts (oldest first) with the lead's review; plain text, Chinese.
    `review_states`: the latest review action of attempts whose exam requires review (待复核 …)."""
    if not attempts:
        return "（还没有考试记录）"
    lines = []
    for a in attempts:
        review = reviews.get(a["id"]) or {"comments": [], "verdicts": [], "overrides": []}
        score = "—" if a["total"] is None else str(a["total"])
        result = "" if a["passed"] is None else ("通过" if a["passed"] else "未通过")
        head = (f"{a['started_at']:%Y-%m-%d %H:%M}  {a['exam_title'] or a['exam_id']} 第 {a['number']} 次  "
                f"{STATUS.get(a['status'], a['status'])}  得分 {score}{('（' + result + '）') if result else ''}")
        state = (review_states or {}).get(a["id"])
        if state is not None:
            head += "  " + _review_state(state)
        if review["overrides"]:
            o = review["overrides"][-1]
            head += f"  组长改分 {o['total']}（{'通过' if o['passed'] else '未通过'}；{o['reason']}）"
        lines.append(head)
        if review["verdicts"]:
            lines.append(f"    组长结论：{review['verdicts'][-1]['text']}")
        for c in review["comments"]:
            turn = turns_by_id.get(c["turn_id"])
            said = f"{ROLE_NAMES.get(turn['role'], turn['role'])}：{turn['text']}" if turn else ""
            lines.append(f"    组长批注（{c['author']}）：{c['text']}" + (f"\n        ↳ {said}" if said else ""))
    return "\n".join(lines)


def _review_state(state: dict[str, Any]) -> str:
    """待复核, or the lead's decision with who and why (exams with `review: required`)."""
    from simulator.records.calibration import STATE_NAMES

    if state["action"] == "pending":
        return "【待复核：组长复核后成绩才算数】"
    result = "通过" if state["passed"] else "未通过"
    total = f" {state['total']} 分" if state.get("total") is not None else ""
    reason = f"；{state['reason']}" if state.get("reason") else ""
    return f"【{STATE_NAMES[state['action']]}{total}，{result}（{state['author']}{reason}）】"
