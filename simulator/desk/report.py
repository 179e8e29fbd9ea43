"""`kefu report`: one self-contained HTML file (inline CSS and SVG, no script, no network) with pass
rates, the score distribution, per-dimension averages, trends, the cohort table, and each attempt's
transcript behind an anchor link. Every piece of text from the records is escaped (html.escape).
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from simulator.desk.cohort import DIMENSION_NAMES, DIMENSIONS, STATUS_NAMES, Cohort, Filters, effective, load_cohort
from simulator.desk.svg import bar_chart, histogram, line_chart

ROLE_NAMES = {"customer": "顾客", "trainee": "客服"}
ATTEMPT_STATUS = {"in_progress": "进行中", "completed": "已完成", "interrupted": "中断"}

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:0 auto;max-width:1100px;padding:24px;color:#1d2733;background:#f7f8fa;line-height:1.5}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;border-bottom:2px solid #d5dbe3}
h3{font-size:16px;margin:18px 0 6px}.muted{color:#6b7785;font-size:13px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;border:1px solid #d5dbe3;border-radius:8px;
padding:10px 16px;min-width:140px}.card b{display:block;font-size:24px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:16px}
figure{background:#fff;border:1px solid #d5dbe3;border-radius:8px;margin:0;padding:8px}
figcaption{font-weight:bold;margin:0 0 4px 8px}
svg.chart{max-width:100%;height:auto}svg .grid{stroke:#e3e7ec}svg .tick,svg .label{font-size:11px;fill:#4b5663}
svg .value{font-size:11px;fill:#1d2733}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}
th,td{border:1px solid #d5dbe3;padding:4px 6px;text-align:left;vertical-align:top}th{background:#eef1f5}
.passed,.expiring{color:#1e7b4f}.failed,.expired{color:#b3261e}.interrupted{color:#9a6700}.pending{color:#7a3fb0}
.override{color:#7a3fb0;font-weight:bold}
.attempt{background:#fff;border:1px solid #d5dbe3;border-radius:8px;padding:8px 16px;margin:16px 0}
.turn-customer td.text{background:#fff7ed}.turn-trainee td.text{background:#eef6ff}
.comment{color:#7a3fb0}.acts{color:#4b5663;font-size:12px}
"""


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def _score(attempt: dict[str, Any]) -> str:
    """The computed score, and beside it the lead's override when there is one."""
    computed = "" if attempt["total"] is None else str(attempt["total"])
    override = attempt.get("override")
    if override:
        return (f'{_e(computed)} <span class="override" title="{_e(override["reason"])}">→ {override["total"]}'
                f'（组长改分：{_e(override["reason"])}）</span>')
    return _e(computed)


def _charts(cohort: Cohort) -> str:
    rates = cohort.pass_rates()
    pass_bars = [(cohort.exams[e], (100 * p / n) if n else None) for e, (p, n) in rates.items()]
    dims = cohort.dimension_averages()
    trend = {cohort.exams[e]: [(w.isoformat(), v) for w, v in cohort.trend(exam=e)] for e in cohort.exams}
    figures = [
        ("各考试通过率", bar_chart("各考试通过率（参加的学员中通过的比例）", pass_bars, unit="%")),
        ("得分分布", histogram("得分分布（每 10 分一段）", cohort.histogram())),
        ("各维度平均分", bar_chart("各维度平均分", [(DIMENSION_NAMES[d], dims[d]) for d in DIMENSIONS])),
        ("成绩趋势（按周平均）", line_chart("成绩趋势（按周平均）", trend)),
    ]
    return '<div class="charts">' + "".join(
        f'<figure class="figure"><figcaption>{_e(name)}</figcaption>{svg}</figure>' for name, svg in figures) + "</div>"


def _cohort_table(cohort: Cohort) -> str:
    exams = list(cohort.exams)
    head = "".join(f"<th>{_e(cohort.exams[e])}</th>" for e in exams)
    rows = []
    for name, group in cohort.trainees.items():
        cells = []
        for e in exams:
            c = cohort.cells[(name, e)]
            detail = f"最好 {_e(c.best)} · 最近 {_e(c.last)} · 已考 {c.used} 次" if c.used else ""
            cells.append(f'<td class="{c.status}">{_e(STATUS_NAMES[c.status])}<br><span class="muted">{detail}</span></td>')
        rows.append(f"<tr><td>{_e(name)}</td><td>{_e(group)}</td>{''.join(cells)}</tr>")
    return f"<table><tr><th>学员</th><th>期次</th>{head}</tr>{''.join(rows)}</table>"


def _attempts_table(attempts: list[dict[str, Any]]) -> str:
    rows = []
    for a in attempts:
        _, passed = effective(a)
        verdict = "" if passed is None else ("通过" if passed else "未通过")
        if (a.get("review") or {}).get("action") == "pending":
            verdict = "待复核"
        rows.append(f'<tr><td><a href="#a-{_e(a["id"])}">{_e(a["id"][:8])}</a></td><td>{_e(a["trainee"])}</td>'
                    f'<td>{_e(a["exam_title"] or a["exam_id"])}</td><td>{_e(a["number"])}</td>'
                    f'<td>{_e(ATTEMPT_STATUS.get(a["status"], a["status"]))}</td><td>{_score(a)}</td>'
                    f'<td>{verdict}</td><td>{_e(_when(a["started_at"]))}</td></tr>')
    return ("<table><tr><th>记录</th><th>学员</th><th>考试</th><th>第几次</th><th>状态</th><th>得分</th>"
            f"<th>结果</th><th>开始时间</th></tr>{''.join(rows)}</table>")


def _acts(analysis: dict | None) -> str:
    if not analysis:
        return ""
    return "、".join(_e(act.get("kind")) for act in analysis.get("acts") or [])


def _transcript(a: dict[str, Any], turns_of: dict[int, list[dict]], comments_of: dict[int, list[dict]],
                verdict: dict | None) -> str:
    parts = [f'<section class="attempt" id="a-{_e(a["id"])}"><h3>{_e(a["trainee"])} · '
             f'{_e(a["exam_title"] or a["exam_id"])} · 第 {_e(a["number"])} 次 · 得分 {_score(a)}</h3>'
             f'<p class="muted">记录 {_e(a["id"])} · {_e(ATTEMPT_STATUS.get(a["status"], a["status"]))} · '
             f'{_e(_when(a["started_at"]))} · 内容哈希 {_e(a["content_hash"][:12])}</p>']
    if verdict:
        parts.append(f'<p class="comment">组长结论（{_e(verdict["author"])}）：{_e(verdict["text"])}</p>')
    for s in a["sessions"]:
        dims = " ".join(f"{DIMENSION_NAMES[d]} {_e(s.get(d))}" for d in DIMENSIONS if s.get(d) is not None)
        parts.append(f'<h4>{_e(s["scenario_title"])}（{_e(s["scenario_id"])}）· 总分 {_e(s["total"])} · {dims} · '
                     f'结果 {_e(s["outcome"])}</h4><table><tr><th>时间</th><th>谁</th><th>话</th><th>用时</th>'
                     f'<th>情绪</th><th>读到的动作</th></tr>')
        for t in turns_of.get(s["id"], []):
            seconds = "" if t["seconds"] is None else f'{t["seconds"]:.0f} 秒'
            notes = "".join(f'<div class="comment">组长批注（{_e(c["author"])}）：{_e(c["text"])}</div>'
                            for c in comments_of.get(t["id"], []))
            parts.append(f'<tr class="turn-{_e(t["role"])}"><td>+{t["at"]:.0f}s</td><td>{_e(ROLE_NAMES.get(t["role"], t["role"]))}</td>'
                         f'<td class="text">{_e(t["text"])}{notes}</td><td>{seconds}</td><td>{_e(t["mood"])}</td>'
                         f'<td class="acts">{_acts(t["analysis"])}</td></tr>')
        parts.append("</table>")
    parts.append('<p><a href="#attempts">↑ 返回考试记录列表</a></p></section>')
    return "".join(parts)


def render_report(cohort: Cohort, turns_of: dict[int, list[dict]], comments_of: dict[int, list[dict]],
                  verdicts: dict[str, dict], generated: datetime, filters: Filters) -> str:
    """The whole HTML document."""
    scope = "，".join(x for x in (f"考试 {filters.exam}" if filters.exam else "", f"期次 {filters.cohort}"
                                  if filters.cohort else "") if x) or "全部"
    graded = cohort.scores()
    passed = sum(1 for a in cohort.attempts if a["status"] == "completed" and effective(a)[1])
    average = f"{sum(graded) / len(graded):.1f}" if graded else "—"
    cards = [("学员", len(cohort.trainees)), ("考试记录", len(cohort.attempts)), ("通过的考试", passed),
             ("平均分", average)]
    return "".join([
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        # No script may run, whatever the records hold: the policy forbids it outright.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
        f"<title>kefu 认证报告</title><style>{CSS}</style></head><body>",
        f'<h1>kefu 认证报告</h1><p class="muted">范围：{_e(scope)} · 生成于 {_e(_when(generated))}（UTC）</p>',
        '<div class="cards">' + "".join(f'<div class="card">{_e(k)}<b>{_e(v)}</b></div>' for k, v in cards) + "</div>",
        "<h2>图表</h2>", _charts(cohort),
        "<h2>学员 × 考试</h2>", _cohort_table(cohort),
        '<h2 id="attempts">考试记录</h2><p class="muted">点记录号看对话全文。改分与原分并列显示，原分不变。</p>',
        _attempts_table(cohort.attempts),
        "<h2>对话全文</h2>",
        *(_transcript(a, turns_of, comments_of, verdicts.get(a["id"])) for a in cohort.attempts),
        "</body></html>",
    ])


def build_report(store, filters: Filters = Filters()) -> str:
    """Read the records and render the report."""
    from simulator.records import review

    cohort = load_cohort(store, filters)
    session_ids = [s["id"] for a in cohort.attempts for s in a["sessions"]]
    return render_report(cohort, review.turns_by_session(store, session_ids), review.comments_by_turn(store),
                         review.verdicts_by_attempt(store), store.now(), filters)
