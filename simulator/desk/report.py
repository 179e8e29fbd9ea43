"""`kefu report`: a self-contained HTML report (inline CSS and SVG, no script, no network) with pass
rates, the score distribution, per-dimension averages, trends, the cohort table and the attempts
table — and beside it one small HTML page per attempt with its transcript, behind a link, so the
report stays small and opens fast at cohort scale (issue 20 §3). Every text from the records goes
through simulator.safetext.html; codes are shown as Chinese words (simulator.desk.words); times in
local time with the zone (simulator.desk.when). The layout works from 390 px to 1280 px wide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from simulator.desk.cohort import (DIMENSION_NAMES, DIMENSIONS, STATUS_NAMES, Cohort, Filters, effective, final_of,
                                   load_cohort)
from simulator.desk.svg import bar_chart, histogram, line_chart
from simulator.desk.when import stamp, zone_label
from simulator.desk.words import ATTEMPT_STATES, NONE, OUTCOMES, acts_of, number, word
from simulator.safetext import html as _e

ROLE_NAMES = {"customer": "顾客", "trainee": "客服"}
CSP = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"

CSS = """
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Zen Hei","PingFang SC","Microsoft YaHei",sans-serif;
margin:0 auto;max-width:1200px;padding:24px;color:#1d2733;background:#f7f8fa;line-height:1.5}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;border-bottom:2px solid #d5dbe3}
h3{font-size:16px;margin:18px 0 6px}h4{font-size:15px;margin:14px 0 6px}.muted{color:#6b7785;font-size:13px}
small.code{color:#8a94a0;font-size:11px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;border:1px solid #d5dbe3;border-radius:8px;
padding:10px 16px;min-width:130px;flex:1 1 130px}.card b{display:block;font-size:24px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,480px),1fr));gap:16px}
figure{background:#fff;border:1px solid #d5dbe3;border-radius:8px;margin:0;padding:8px;min-width:0}
figcaption{font-weight:bold;margin:0 0 4px 8px}
svg.chart{display:block;width:100%;height:auto}svg .grid{stroke:#e3e7ec}svg .tick,svg .label{font-size:11px;fill:#4b5663}
svg .value{font-size:11px;fill:#1d2733}
.scroll{overflow-x:auto;max-width:100%;-webkit-overflow-scrolling:touch;border:1px solid #d5dbe3;border-radius:6px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}
th,td{border:1px solid #d5dbe3;padding:4px 6px;text-align:left;vertical-align:top;white-space:nowrap}
th{background:#eef1f5}td.wrap{white-space:normal;min-width:10em;max-width:22em;overflow-wrap:anywhere}
td.text{white-space:normal;min-width:12em;overflow-wrap:anywhere}
.passed,.expiring{color:#1e7b4f}.failed,.expired,.outside{color:#b3261e}.interrupted{color:#9a6700}.outside{color:#6b7785}
.pending{color:#7a3fb0}.voided,.void{color:#b3261e;font-weight:bold}.mismatch{color:#b3261e;font-weight:bold}
.verified{color:#1e7b4f}.unverified{color:#9a6700}
.override{color:#7a3fb0;font-weight:bold}
.breach{display:inline-block;background:#b3261e;color:#fff;border-radius:4px;padding:0 5px;font-size:12px;margin-left:4px}
.deduct{display:inline-block;background:#fde8e6;color:#b3261e;border-radius:4px;padding:0 5px;font-size:12px;margin-left:4px}
.attempt{background:#fff;border:1px solid #d5dbe3;border-radius:8px;padding:8px 16px;margin:16px 0}
ul.items{margin:4px 0 8px;padding-left:20px}ul.items li.minus{color:#b3261e}
.turn-customer td.text{background:#fff7ed}.turn-trainee td.text{background:#eef6ff}
.comment{color:#7a3fb0}.acts{color:#4b5663;font-size:12px;white-space:normal;min-width:6em}
@media (max-width:600px){body{padding:10px}h1{font-size:21px}.card{padding:6px 10px;min-width:0}.card b{font-size:19px}}
"""


@dataclass
class Report:
    """The report page and one transcript page per attempt (file name -> HTML)."""

    index: str
    transcripts: dict[str, str] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """Bytes of the report page itself (what the browser opens first)."""
        return len(self.index.encode("utf-8"))


def transcripts_dir(out: Path) -> Path:
    """Where the transcript pages of the report `out` are written: a folder beside it."""
    return out.with_name(out.stem + "-对话")


def _when(value: datetime | None) -> str:
    return stamp(value) or NONE


def _score(attempt: dict[str, Any]) -> str:
    """The computed score, and beside it the score in effect when a lead's action changed it."""
    computed = number(attempt["total"])
    result = final_of(attempt)
    if result.total != attempt["total"]:
        return (f'{_e(computed)} <span class="override">→ {_e(number(result.total))}</span>'
                f'<span class="muted">（{_e(result.state_name)}）</span>')
    return _e(computed)


def _why(attempt: dict[str, Any]) -> str:
    """Why the result is what it is: the lead's override, review decision or void, with the reason."""
    result = final_of(attempt)
    if result.state in ("computed", "in_progress", "interrupted"):
        return ""
    if result.state == "void":
        void = attempt["void"]
        return f'<span class="void">作废</span>（{_e(void.get("actor") or "")}）：{_e(void.get("reason") or "")}'
    return f"{_e(result.state_name)}" + (f"：{_e(result.reason)}" if result.reason else "")


CHECK_CLASS = {"已核验": "verified", "不一致": "mismatch", "未核验": "unverified"}


def _marks(attempt: dict[str, Any]) -> str:
    """A policy breach and the points deducted, marked where the score is."""
    marks = ""
    if attempt.get("policy_breach"):
        marks += '<span class="breach" title="有超出店铺政策的承诺">超出政策</span>'
    deducted = sum(s.get("deductions") or 0 for s in attempt.get("sessions") or [])
    if deducted:
        marks += f'<span class="deduct" title="违规扣分（各场景合计）">扣 {deducted} 分</span>'
    return marks


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
            detail = (f"<br><span class=\"muted\">最好 {_e(number(c.best))} · 最近 {_e(number(c.last))} · "
                      f"已考 {c.used} 次" + (f" · 作废 {c.voided} 次" if c.voided else "") + "</span>") if c.used else ""
            if c.granted:
                detail += f'<br><span class="muted">组长加考 {c.granted} 次</span>'

            cells.append(f'<td class="{c.status}">{_e(STATUS_NAMES[c.status])}{detail}</td>')
        rows.append(f"<tr><td>{_e(name)}</td><td>{_e(group or NONE)}</td>{''.join(cells)}</tr>")
    return f'<div class="scroll"><table><tr><th>学员</th><th>期次</th>{head}</tr>{"".join(rows)}</table></div>'


def _attempts_table(attempts: list[dict[str, Any]], folder: str, checks: dict[str, tuple[str, str]] | None = None) -> str:
    rows = []
    for a in attempts:
        result = final_of(a)
        verdict = f'<span class="{"void" if result.state == "void" else "pending" if result.state == "pending" else ""}">' \
                  f'{_e(result.verdict)}</span>'
        check = ""
        if checks is not None:
            state, why = checks.get(a["id"], ("未核验", ""))
            check = (f'<td class="{CHECK_CLASS.get(state, "")}">{_e(state)}'
                     + (f'<br><span class="muted">{_e(why)}</span>' if why else "") + "</td>")
        rows.append(f'<tr><td><a href="{folder}/{_e(a["id"])}.html">{_e(a["id"][:8])}</a></td><td>{_e(a["trainee"])}</td>'
                    f'<td>{_e(a["exam_title"] or a["exam_id"])}</td><td>{_e(number(a["number"]))}</td>'
                    f'<td>{_e(word(ATTEMPT_STATES, a["status"]))}</td><td>{_score(a)}{_marks(a)}</td>'
                    f'<td>{verdict}</td><td class="wrap">{_why(a)}</td>{check}<td>{_e(_when(a["started_at"]))}</td></tr>')
    check_head = "<th>核验</th>" if checks is not None else ""
    return (f'<div class="scroll"><table><tr><th>记录</th><th>学员</th><th>考试</th><th>第几次</th><th>状态</th>'
            f'<th>得分</th><th>结果</th><th>依据</th>{check_head}<th>开始时间（{_e(zone_label())}）</th></tr>'
            f'{"".join(rows)}</table></div>')


def _items(session: dict[str, Any]) -> str:
    """The scorecard items that took points off, with their reasons (why the score is what it is)."""
    items = [i for i in ((session.get("scorecard") or {}).get("items") or []) if (i.get("points") or 0) < 0]
    if not items:
        return ""
    return '<ul class="items">' + "".join(
        f'<li class="minus">{_e(i.get("points"))} 分：{_e(i.get("reason") or "")}</li>' for i in items) + "</ul>"


def _transcript(a: dict[str, Any], turns_of: dict[int, list[dict]], comments_of: dict[int, list[dict]],
                verdict: dict | None, report_name: str) -> str:
    """One attempt's page: header with the score in effect and its marks, then each conversation."""
    title = f'{a["trainee"]} · {a["exam_title"] or a["exam_id"]} · 第 {number(a["number"])} 次'
    override = a.get("override")
    parts = [f'<section class="attempt" id="a-{_e(a["id"])}"><h3>{_e(title)} · 得分 {_score(a)}{_marks(a)}</h3>',
             f'<p class="muted">记录 {_e(a["id"])} · {_e(word(ATTEMPT_STATES, a["status"]))} · '
             f'{_e(stamp(a["started_at"], with_zone=True) or NONE)} · 内容哈希 {_e((a["content_hash"] or "")[:12])}</p>']
    result = final_of(a)
    if a["kind"] == "exam" and result.state not in ("computed", "in_progress", "interrupted"):
        parts.append(f'<p class="override">最终结果：{_e(number(result.total))} 分，{_e(result.verdict)} · {_why(a)}</p>')
    if override:
        parts.append(f'<p class="override">组长改分（{_e(override.get("author") or "")}）：{_e(override["total"])} 分，'
                     f'{"通过" if override["passed"] else "未通过"}；理由：{_e(override["reason"])}</p>')
    if verdict:
        parts.append(f'<p class="comment">组长结论（{_e(verdict["author"])}）：{_e(verdict["text"])}</p>')
    for s in a["sessions"]:
        dims = " · ".join(f"{DIMENSION_NAMES[d]} {_e(s.get(d))}" for d in DIMENSIONS if s.get(d) is not None)
        breach = '<span class="breach">超出政策</span>' if s.get("policy_breach") else ""
        deduct = f'<span class="deduct">扣 {_e(s["deductions"])} 分</span>' if s.get("deductions") else ""
        parts.append(f'<h4>{_e(s["scenario_title"])} <small class="code">{_e(s["scenario_id"])}</small> · '
                     f'总分 {_e(number(s["total"]))}{breach}{deduct}</h4>'
                     f'<p class="muted">{dims}{" · " if dims else ""}结果：{_e(word(OUTCOMES, s["outcome"]))}</p>'
                     f'{_items(s)}<div class="scroll"><table><tr><th>时间</th><th>谁</th><th>话</th><th>用时</th>'
                     f'<th>情绪</th><th>读到的动作</th></tr>')
        for t in turns_of.get(s["id"], []):
            seconds = NONE if t["seconds"] is None else f'{t["seconds"]:.0f} 秒'
            notes = "".join(f'<div class="comment">组长批注（{_e(c["author"])}）：{_e(c["text"])}</div>'
                            for c in comments_of.get(t["id"], []))
            acts = "、".join(_e(x) for x in acts_of(t["analysis"])) if t["role"] == "trainee" else ""
            parts.append(f'<tr class="turn-{_e(t["role"])}"><td>+{t["at"]:.0f} 秒</td>'
                         f'<td>{_e(ROLE_NAMES.get(t["role"], t["role"]))}</td>'
                         f'<td class="text">{_e(t["text"])}{notes}</td><td>{seconds}</td><td>{_e(number(t["mood"]))}</td>'
                         f'<td class="acts">{acts}</td></tr>')
        parts.append("</table></div>")
    parts.append(f'<p><a href="../{report_name}#attempts">← 返回报告的考试记录列表</a></p></section>')
    return "".join(parts)


def _page(title: str, body: str) -> str:
    return "".join([
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        CSP,  # no script may run, whatever the records hold: the policy forbids it outright
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>", body, "</body></html>"])


def render_report(cohort: Cohort, turns_of: dict[int, list[dict]], comments_of: dict[int, list[dict]],
                  verdicts: dict[str, dict], generated: datetime, filters: Filters,
                  out_name: str = "report.html", checks: dict[str, tuple[str, str]] | None = None) -> Report:
    """The report page and its transcript pages (links relative to a report saved as `out_name`);
    `checks` (kefu report --verify): each attempt's verification state and why."""
    from urllib.parse import quote

    folder_name = transcripts_dir(Path(out_name)).name
    folder = _e(quote(folder_name))
    scope = "，".join(x for x in (
        f"考试 {cohort.exams.get(filters.exam, filters.exam)}" if filters.exam else "",
        f"期次 {filters.cohort}" if filters.cohort else "",
        f"{filters.since} 及以后开始的考试" if filters.since else "",
        f"{filters.until} 及以前开始的考试" if filters.until else "") if x) or "全部"
    graded = cohort.scores()
    passed = sum(1 for a in cohort.attempts if a["status"] == "completed" and effective(a)[1])
    voided = sum(1 for a in cohort.attempts if a.get("void"))
    pending = sum(1 for a in cohort.attempts if final_of(a).state == "pending")
    breaches = sum(1 for a in cohort.attempts if a.get("policy_breach"))
    average = f"{sum(graded) / len(graded):.1f}" if graded else NONE
    cards = [("学员", len(cohort.trainees)), ("考试记录", len(cohort.attempts)), ("通过的考试", passed),
             ("平均分", average), ("超出政策", breaches), ("待复核", pending), ("作废", voided)]
    if checks is not None:
        cards.append(("核验不一致", sum(1 for state, _ in checks.values() if state == "不一致")))
    body = "".join([
        f'<h1>kefu 认证报告</h1><p class="muted">范围：{_e(scope)} · 生成于 {_e(stamp(generated, with_zone=True))}</p>',
        '<div class="cards">' + "".join(f'<div class="card">{_e(k)}<b>{_e(v)}</b></div>' for k, v in cards) + "</div>",
        "<h2>图表</h2>", _charts(cohort),
        "<h2>学员 × 考试</h2>", _cohort_table(cohort),
        '<h2 id="attempts">考试记录</h2><p class="muted">点记录号看对话全文（在报告旁的文件夹 '
        f'{_e(folder_name)} 里，每次考试一页）。最终分与原分并列显示，原分不变；“依据”写明组长改分、复核或作废及理由；'
        '<span class="breach">超出政策</span> 标出有超出店铺政策的承诺，<span class="deduct">扣 N 分</span> 是违规扣分。</p>',
        _attempts_table(cohort.attempts, folder, checks),
    ])
    report = Report(_page("kefu 认证报告", body))
    back = _e(quote(out_name))
    for a in cohort.attempts:
        page = _transcript(a, turns_of, comments_of, verdicts.get(a["id"]), back)
        report.transcripts[f'{a["id"]}.html'] = _page(f'{a["trainee"]} · {a["exam_title"] or a["exam_id"]}', page)
    return report


def build_report(store, filters: Filters = Filters(), out_name: str = "report.html", verify: bool = False) -> Report:
    """Read the records and render the report; `verify` replays and re-grades every attempt in it."""
    from simulator.records import review

    cohort = load_cohort(store, filters)
    session_ids = [s["id"] for a in cohort.attempts for s in a["sessions"]]
    checks = None
    if verify:
        from simulator.certify.commands import verify_attempts

        checks = verify_attempts(store, cohort.attempts)
    return render_report(cohort, review.turns_by_session(store, session_ids), review.comments_by_turn(store),
                         review.verdicts_by_attempt(store), store.now(), filters, out_name, checks)
