"""Agreement between people and kefu, and between people, stated plainly.

For each grader against the machine, and for each pair of graders, over the conversations both
graded: quadratic-weighted κ per dimension and for the total (scores in ten bands, min(score // 10,
9)), Cohen's κ on pass/fail per conversation (the machine passes a conversation when its total
reaches the exam's pass mark, with no policy breach when the exam forbids one and no outright-fail rule), the mean absolute difference, and n.
Then the conversations where people and machine differ most, with the machine's evidence, and what
the numbers mean in Chinese.
"""

from __future__ import annotations

from html import escape
from itertools import combinations
from typing import Any

from simulator.calibrate.statistics import band, cohen_kappa, mean_absolute_difference, weighted_kappa

FIELDS = ("apology", "empathy", "question", "solution", "total")
FIELD_NAMES = {"apology": "道歉", "empathy": "共情", "question": "提问", "solution": "方案", "total": "总分"}
FEW = 10
"""Below this many conversations a κ says next to nothing."""
ENOUGH = 30
"""From this many on the figures begin to mean something (below: only a hint)."""


def machine_passes(conversation: dict[str, Any]) -> bool:
    """The machine's pass/fail for one conversation under the exam's rules as played: its total
    reaches the pass mark, no policy breach (when the exam forbids one), no outright-fail rule fired."""
    from simulator.content.exams import fail_on_rule

    mark = conversation.get("pass_mark") or {}
    if conversation["total"] < int(mark.get("total", 0)):
        return False
    if mark.get("no_policy_breach") and conversation.get("policy_breach"):
        return False
    vetoes = {fail_on_rule(code) for code in mark.get("fail_on") or []} - {None}
    items = (conversation.get("scorecard") or {}).get("items") or []
    return not any(i.get("dimension") == "deduction" and i.get("rule") in vetoes for i in items)


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def agreement(pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    """Agreement of two raters over (a, b) pairs of grades (dicts with FIELDS and passed)."""
    out: dict[str, Any] = {}
    for f in FIELDS:
        both = [(a[f], b[f]) for a, b in pairs if a.get(f) is not None and b.get(f) is not None]
        out[f] = {"qwk": _r(weighted_kappa([band(x) for x, _ in both], [band(y) for _, y in both])),
                  "mad": _r(mean_absolute_difference([x for x, _ in both], [y for _, y in both])),
                  "n": len(both)}
    judged = [(bool(a["passed"]), bool(b["passed"])) for a, b in pairs]
    same = sum(1 for x, y in judged if x == y)
    out["pass_fail"] = {"kappa": _r(cohen_kappa([x for x, _ in judged], [y for _, y in judged])),
                        "agreement": _r(same / len(judged)) if judged else None, "n": len(judged)}
    return out


def build(conversations: list[dict[str, Any]], grades: list[dict[str, Any]], top: int = 5) -> dict[str, Any]:
    """The whole report as data (what --format json prints)."""
    by_session = {c["id"]: c for c in conversations}
    machine = {sid: {**{f: c[f] for f in FIELDS}, "passed": machine_passes(c)} for sid, c in by_session.items()}
    grades = [g for g in grades if g["session_id"] in by_session]
    graders = sorted({g["grader"] for g in grades})
    mine: dict[str, dict[int, dict]] = {name: {} for name in graders}
    for g in grades:
        mine[g["grader"]][g["session_id"]] = g
    report: dict[str, Any] = {"graders": {}, "between_graders": {}, "conversations": len({g["session_id"] for g in grades})}
    for name in graders:
        report["graders"][name] = agreement([(g, machine[sid]) for sid, g in sorted(mine[name].items())])
    for a, b in combinations(graders, 2):
        common = sorted(set(mine[a]) & set(mine[b]))
        report["between_graders"][f"{a} / {b}"] = agreement([(mine[a][s], mine[b][s]) for s in common])
    differences = []
    for g in grades:
        c = by_session[g["session_id"]]
        gap = abs(g["total"] - c["total"])
        worst = max((f for f in FIELDS[:4] if g.get(f) is not None), key=lambda f: abs(g[f] - c[f]), default=None)
        differences.append({
            "grader": g["grader"], "attempt": c["attempt_id"], "scenario": c["scenario_id"], "trainee": c["trainee"],
            "human_total": g["total"], "machine_total": c["total"], "difference": gap,
            "human_passed": bool(g["passed"]), "machine_passed": machine_passes(c), "note": g.get("note"),
            "dimension": worst, "human_dimension": g.get(worst) if worst else None,
            "machine_dimension": c[worst] if worst else None,
            "evidence": _evidence(c.get("scorecard") or {}, worst)})
    differences.sort(key=lambda d: (-d["difference"], d["attempt"], d["scenario"], d["grader"]))
    report["largest_differences"] = differences[:top]
    report["meaning"] = meaning(report)
    return report


def _evidence(card: dict[str, Any], dimension: str | None) -> list[dict[str, Any]]:
    """The machine's reasons for its points in that dimension (and every deduction): rule, points, why, quote."""
    items = card.get("items") or []
    wanted = [i for i in items if i.get("dimension") == dimension or (i.get("dimension") == "deduction" and i.get("points"))]
    return [{"rule": i.get("rule"), "dimension": i.get("dimension"), "points": i.get("points"),
             "reason": i.get("reason"), "quote": i.get("quote")} for i in wanted]


def verdict(kappa: float | None) -> str:
    """κ in plain Chinese."""
    if kappa is None:
        return "无法计算（评分没有差异，或没有共同评过的对话）"
    if kappa >= 0.8:
        return "很一致"
    if kappa >= 0.6:
        return "基本一致"
    return "需要复核"


def size_warning(n: int) -> str | None:
    """A warning when too few conversations were graded to say anything."""
    if n == 0:
        return "还没有人评过分：先用 kefu calibrate sheet 出题，评完后 kefu calibrate import 导入。"
    if n < FEW:
        return f"只评了 {n} 段对话，太少，下面的数字说明不了什么（至少 {ENOUGH} 段才有参考价值）。"
    if n < ENOUGH:
        return f"只评了 {n} 段对话，数字只能作参考（至少 {ENOUGH} 段更可靠）。"
    return None


def meaning(report: dict[str, Any]) -> list[str]:
    """What the numbers say, one Chinese sentence each."""
    lines = ["怎么读：κ ≥ 0.8 很一致；0.6–0.8 基本一致；低于 0.6 需要复核（看下面差得最多的对话：是评分规则要改，还是评分人要统一标准）。"
             "作为参照：公开的中文客服满意度人工标注（JDDC USS）人与人之间的一致性约为 κ 0.57。"]
    warning = size_warning(report["conversations"])
    if warning:
        lines.append("注意：" + warning)
    for name, a in report["graders"].items():
        total, pf = a["total"], a["pass_fail"]
        lines.append(f"{name} 与 kefu：总分 {verdict(total['qwk'])}（加权 κ {_fmt(total['qwk'])}，平均差 {_fmt(total['mad'])} 分，"
                     f"{total['n']} 段）；是否通过 {verdict(pf['kappa'])}（κ {_fmt(pf['kappa'])}，一致率 {_pct(pf['agreement'])}）。")
        weak = [FIELD_NAMES[f] for f in FIELDS[:4] if a[f]["qwk"] is not None and a[f]["qwk"] < 0.6]
        if weak:
            lines.append(f"  {name} 与 kefu 在{'、'.join(weak)}上分歧较大：先看这几项的评分规则和评分说明。")
    for pair, a in report["between_graders"].items():
        if a["pass_fail"]["n"]:
            lines.append(f"评分人之间 {pair}：总分 {verdict(a['total']['qwk'])}（加权 κ {_fmt(a['total']['qwk'])}，"
                         f"{a['total']['n']} 段共同评过）。人和人都不一致时，先统一评分标准，再拿 kefu 比。")
    if len(report["graders"]) == 1:
        lines.append("只有一位评分人：看不出人与人之间是否一致；最好再请一位评分人评同样的对话。")
    return lines


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: list[list[str]]) -> str:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip()
                     for row in rows)


def _agreement_rows(label: str, items: dict[str, dict[str, Any]]) -> list[list[str]]:
    rows = [[label, *[f"{FIELD_NAMES[f]} κw" for f in FIELDS], "通过 κ", "一致率", "总分平均差", "段数"]]
    for name, a in items.items():
        rows.append([name, *[_fmt(a[f]["qwk"]) for f in FIELDS], _fmt(a["pass_fail"]["kappa"]),
                     _pct(a["pass_fail"]["agreement"]), _fmt(a["total"]["mad"]), str(a["pass_fail"]["n"])])
    return rows


def as_text(report: dict[str, Any], title: str) -> str:
    """The report as aligned plain text (Chinese)."""
    out = [f"人机评分一致性：{title}", f"评过的对话：{report['conversations']} 段", ""]
    if report["graders"]:
        out += ["评分人与 kefu：", _table(_agreement_rows("评分人", report["graders"])), ""]
    if report["between_graders"]:
        out += ["评分人之间：", _table(_agreement_rows("两位评分人", report["between_graders"])), ""]
    out += report["meaning"]
    if report["largest_differences"]:
        out += ["", "差得最多的对话（kefu 的依据附后）："]
        for d in report["largest_differences"]:
            out.append(f"  · {d['grader']} 给 {d['human_total']}（{'通过' if d['human_passed'] else '不通过'}），"
                       f"kefu 给 {d['machine_total']}（{'通过' if d['machine_passed'] else '不通过'}），差 {d['difference']} 分"
                       f" — 考试记录 {d['attempt'][:8]}，场景 {d['scenario']}，学员 {d['trainee']}")
            if d["note"]:
                out.append(f"      评分人备注：{d['note']}")
            if d["dimension"]:
                out.append(f"      差得最多的一项：{FIELD_NAMES[d['dimension']]}（人 {d['human_dimension']}，kefu {d['machine_dimension']}）；kefu 的依据：")
            for e in d["evidence"]:
                quote = f"「{e['quote']}」" if e.get("quote") else ""
                out.append(f"        {e['points']:+d} {e['reason']}{quote}")
    return "\n".join(out)


def as_html(report: dict[str, Any], title: str) -> str:
    """The report as one self-contained HTML page (everything escaped)."""
    def table(rows: list[list[str]]) -> str:
        head = "".join(f"<th>{escape(c)}</th>" for c in rows[0])
        body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows[1:])
        return f"<table><tr>{head}</tr>{body}</table>"

    parts = [f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>人机评分一致性：{escape(title)}</title>"
             "<style>body{font-family:sans-serif;max-width:1000px;margin:auto;padding:24px;line-height:1.6}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}th{background:#eef1f5}"
             ".ev{color:#4b5663;font-size:13px}</style></head><body>",
             f"<h1>人机评分一致性：{escape(title)}</h1><p>评过的对话：{report['conversations']} 段</p>"]
    if report["graders"]:
        parts += ["<h2>评分人与 kefu</h2>", table(_agreement_rows("评分人", report["graders"]))]
    if report["between_graders"]:
        parts += ["<h2>评分人之间</h2>", table(_agreement_rows("两位评分人", report["between_graders"]))]
    parts += ["<h2>这些数字的意思</h2><ul>"] + [f"<li>{escape(m)}</li>" for m in report["meaning"]] + ["</ul>"]
    if report["largest_differences"]:
        parts.append("<h2>差得最多的对话</h2>")
        for d in report["largest_differences"]:
            parts.append(f"<h3>{escape(d['grader'])} {d['human_total']} 分 · kefu {d['machine_total']} 分 · 差 {d['difference']}</h3>"
                         f"<p>考试记录 {escape(d['attempt'])} · 场景 {escape(d['scenario'])} · 学员 {escape(d['trainee'])}"
                         + (f"<br>评分人备注：{escape(d['note'])}" if d["note"] else "") + "</p><ul class='ev'>")
            parts += [f"<li>{e['points']:+d} {escape(e['reason'] or '')}"
                      + (f"「{escape(e['quote'])}」" if e.get("quote") else "") + "</li>" for e in d["evidence"]]
            parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)
