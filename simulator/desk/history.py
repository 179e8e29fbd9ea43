"""A trainee's own history: every exam attempt with its score (and the lead's override beside it),
the lead's verdict, and each comment with the line it is on — what `kefu history` prints."""

from __future__ import annotations

from typing import Any

from simulator.desk.when import stamp, zone_label
from simulator.desk.words import ATTEMPT_STATES, NONE, number, word
from simulator.records.verdict import final
from simulator.safetext import terminal

ROLE_NAMES = {"customer": "顾客", "trainee": "我"}


def _t(value: Any) -> str:
    """One field from the records as one line of plain, harmless text."""
    return terminal(value, one_line=True)


def history_text(attempts: list[dict[str, Any]], reviews: dict[str, dict], turns_by_id: dict[int, dict],
                 review_states: dict[str, dict] | None = None, voids: dict[str, dict] | None = None) -> str:
    """The trainee's attempts (oldest first) with the lead's review; plain text, Chinese.
    `review_states`: the latest review action of attempts whose exam requires review (待复核 …);
    `voids`: the lead's voids (records.lead.voids_by_attempt). Each line ends with the result in
    effect (records.verdict.final), the same one the desk, the report and the exports show."""
    if not attempts:
        return "（还没有考试记录）"
    lines = [f"（时间为 {zone_label()}）"]
    for a in attempts:
        review = reviews.get(a["id"]) or {"comments": [], "verdicts": [], "overrides": []}
        score = number(a["total"])
        result = "" if a["passed"] is None else ("通过" if a["passed"] else "未通过")
        head = (f"{stamp(a['started_at']) or NONE}  {_t(a['exam_title'] or a['exam_id'])} 第 {number(a['number'])} 次  "
                f"{word(ATTEMPT_STATES, a['status'])}  得分 {score}{('（' + result + '）') if result else ''}")
        state = (review_states or {}).get(a["id"])
        void = (voids or {}).get(a["id"])
        if state is not None and not (void is not None and state["action"] == "pending"):  # a void ends the wait
            head += "  " + _review_state(state)
        override = review["overrides"][-1] if review["overrides"] else None
        if override:
            head += f"  组长改分 {override['total']}（{'通过' if override['passed'] else '未通过'}；{_t(override['reason'])}）"
        if void is not None:
            head += f"  【作废：{_t(void.get('reason') or '')}】"
        result = final(a, override, void, state)
        if result.state not in ("computed", "in_progress", "interrupted"):
            head += f"  最终 {number(result.total)} 分（{result.verdict}）"
        lines.append(head)
        if review["verdicts"]:
            lines.append(f"    组长结论：{_t(review['verdicts'][-1]['text'])}")
        for c in review["comments"]:
            turn = turns_by_id.get(c["turn_id"])
            said = f"{ROLE_NAMES.get(turn['role'], '')}：{_t(turn['text'])}" if turn else ""
            lines.append(f"    组长批注（{_t(c['author'])}）：{_t(c['text'])}" + (f"\n        ↳ {said}" if said else ""))
    return "\n".join(lines)


def _review_state(state: dict[str, Any]) -> str:
    """待复核, or the lead's decision with who and why (exams with `review: required`)."""
    from simulator.records.calibration import STATE_NAMES

    if state["action"] == "pending":
        return "【待复核：组长复核后成绩才算数】"
    result = "通过" if state["passed"] else "未通过"
    total = f" {state['total']} 分" if state.get("total") is not None else ""
    reason = f"；{_t(state['reason'])}" if state.get("reason") else ""
    return f"【{STATE_NAMES[state['action']]}{total}，{result}（{_t(state['author'])}{reason}）】"
