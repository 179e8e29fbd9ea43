"""A pass mark suggested from the graders' judgements (the borderline-regression method): regress
kefu's total of each judged conversation on the person's judgement (fail 0, pass 1) and read the
total predicted halfway, where judgements turn from fail to pass. Stated with how many judgements
it rests on, and refused (with why) when it cannot be computed.
"""

from __future__ import annotations

from typing import Any

from simulator.calibrate.statistics import borderline_cut

FEW_JUDGEMENTS = 20


def suggest(conversations: list[dict[str, Any]], grades: list[dict[str, Any]], current: int | None) -> dict[str, Any]:
    """The suggestion as data: cut (rounded to a whole score) or None with the reason."""
    totals = {c["id"]: c["total"] for c in conversations}
    judged = [(totals[g["session_id"]], bool(g["passed"])) for g in grades if g["session_id"] in totals]
    passes = [t for t, p in judged if p]
    fails = [t for t, p in judged if not p]
    cut = borderline_cut([t for t, _ in judged], [p for _, p in judged])
    out: dict[str, Any] = {
        "judgements": len(judged), "graders": len({g["grader"] for g in grades if g["session_id"] in totals}),
        "passes": len(passes), "fails": len(fails),
        "mean_pass": round(sum(passes) / len(passes), 1) if passes else None,
        "mean_fail": round(sum(fails) / len(fails), 1) if fails else None,
        "cut": None if cut is None else round(cut, 1), "suggested": None if cut is None else round(cut),
        "current": current, "why_not": None,
    }
    if not judged:
        out["why_not"] = "还没有人评过这场考试的对话（是否通过）。"
    elif not passes or not fails:
        out["why_not"] = f"评分人的判断全是{'通过' if passes else '不通过'}：看不出从不通过到通过的分界。请加入不同水平的对话。"
    elif cut is None:
        out["why_not"] = "评分人判为通过的对话，kefu 的平均分并不比判为不通过的高：人和机器的标准相反，先看 kefu calibrate report。"
    return out


def as_text(result: dict[str, Any], title: str) -> str:
    """Plain Chinese."""
    lines = [f"建议及格分：{title}"]
    lines.append(f"依据：{result['judgements']} 个判断（{result['graders']} 位评分人；通过 {result['passes']}，不通过 {result['fails']}）")
    if result["why_not"]:
        lines.append(f"无法给出建议：{result['why_not']}")
        return "\n".join(lines)
    lines.append(f"评分人判为不通过的对话，kefu 平均 {result['mean_fail']:g} 分；判为通过的，平均 {result['mean_pass']:g} 分。")
    lines.append(f"建议的及格分：{result['suggested']}（两者之间的分界，{result['cut']:g}）"
                 + (f"；现在的及格分是 {result['current']}" if result["current"] is not None else ""))
    if result["judgements"] < FEW_JUDGEMENTS:
        lines.append(f"注意：只有 {result['judgements']} 个判断，太少，建议只作参考（至少 {FEW_JUDGEMENTS} 个更可靠）。")
    lines.append("说明：每段对话单独判断；考试的及格分看的是各场景的平均分。改之前先和评分人对一下标准。")
    return "\n".join(lines)
