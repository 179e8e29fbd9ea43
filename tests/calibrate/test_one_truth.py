"""One truth in every output (issues 19 §4, 20 §4–5, 16 §4): one cohort of a `review: required` exam in
which one attempt is overridden, one voided, one still waiting as 待复核 and one adjusted by review.
The final score and verdict must be the same in `kefu results` (table, CSV, JSON, xAPI), the HTML
report, `kefu history` and 我的记录, the exported bundle, and the desk (driven with a Textual pilot).
The expected results are worked out here from the actions the test takes, not read from kefu."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from records_helpers import kefu, write_replies
from textual.widgets import DataTable

POLITE = [
    "[+12s] 亲，非常抱歉给您添麻烦了，换作是我也会着急。请问您的订单号是多少？我马上帮您查。",
    "[+20s] 我们马上给您补发，运费由我们承担，并跟进物流第一时间告诉您，您看可以吗？",
]
VOID_REASON = "考场网络中断，考生看到了答案"
OVERRIDE_REASON = "答非所问，人工复核不通过"
ADJUST_REASON = "超时是系统问题"


def _content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    (folder / "exams").mkdir(parents=True, exist_ok=True)
    (folder / "exams" / "strict.yaml").write_text(
        "id: strict\ntitle: 严格考试\nscenarios: [wig-wrong-color]\npass_mark: {total: 0}\nreview: required\n"
        "attempts: 5\n", encoding="utf-8")
    return folder


def _cohort(capsys, db_url, tmp_path) -> dict[str, dict]:
    """Four trainees; returns {name: {"attempt", "total", "passed", "state"}} — what every output must say."""
    content = _content(tmp_path)
    docs = {}
    for name in ("甲", "乙", "丙", "丁"):
        run = kefu(capsys, "exam", "run", "strict", "--content", str(content), "--trainee", name, "--db", db_url,
                   "--quiet", "--replies", *write_replies(tmp_path / name, POLITE, 1))
        assert run.code == 0, run.err
        docs[name] = run.json()
        assert docs[name]["passed"] is True  # pass mark 0: the scorer passes everyone

    def decide(name, *args):
        result = kefu(capsys, "calibrate", "decide", docs[name]["attempt"], *args, "--lead", "李组长", "--db", db_url)
        assert result.code == 0, result.err

    from simulator.records.store import open_store

    decide("甲", "approve")
    with open_store(db_url) as store:  # what the desk's `o` calls
        store.add_override(docs["甲"]["attempt"], "王组长", 30, False, OVERRIDE_REASON)
    voided = kefu(capsys, "attempt", "void", docs["乙"]["attempt"], "--reason", VOID_REASON, "--lead", "王组长",
                  "--db", db_url)
    assert voided.code == 0, voided.err
    decide("丁", "adjust", "--reason", ADJUST_REASON, "--total", "55", "--passed", "是")
    granted = kefu(capsys, "attempt", "grant", "丙", "strict", "--reason", "停电", "--lead", "王组长", "--db", db_url)
    assert granted.code == 0, granted.err
    return {
        "甲": {"attempt": docs["甲"]["attempt"], "total": 30, "passed": False, "word": "未通过", "state": "组长改分"},
        "乙": {"attempt": docs["乙"]["attempt"], "total": docs["乙"]["total"], "passed": False, "word": "作废",
              "state": "作废"},
        "丙": {"attempt": docs["丙"]["attempt"], "total": docs["丙"]["total"], "passed": None, "word": "待复核",
              "state": "待复核"},
        "丁": {"attempt": docs["丁"]["attempt"], "total": 55, "passed": True, "word": "通过", "state": "复核改分"},
    }


YES = {True: "是", False: "否", None: ""}


def test_every_output_tells_the_same_final_result(db_url, tmp_path, capsys):
    want = _cohort(capsys, db_url, tmp_path)
    by_attempt = {w["attempt"]: (name, w) for name, w in want.items()}

    rows = kefu(capsys, "results", "--format", "json", "--db", db_url).json()
    assert len(rows) == 4
    for row in rows:
        name, w = by_attempt[row["attempt"]]
        assert (row["final_total"], row["final_passed"], row["final_state"]) == (w["total"], w["passed"], w["state"]), name
        assert row["passed"] is True  # the computed result is kept beside it
    json_rows = {r["attempt"]: r for r in rows}
    assert json_rows[want["乙"]["attempt"]]["voided"] and json_rows[want["乙"]["attempt"]]["void_reason"] == VOID_REASON
    assert json_rows[want["丙"]["attempt"]]["review_state"] == "待复核" and json_rows[want["丙"]["attempt"]]["grants"] == 1
    assert json_rows[want["丁"]["attempt"]]["review_reason"] == ADJUST_REASON
    assert json_rows[want["甲"]["attempt"]]["override_reason"] == OVERRIDE_REASON

    out = kefu(capsys, "results", "--format", "csv", "--db", db_url).out
    table = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    for line in table:
        name, w = by_attempt[line["考试记录"]]
        assert (line["最终总分"], line["最终通过"], line["最终依据"]) == (str(w["total"]), YES[w["passed"]], w["state"]), name

    text = kefu(capsys, "results", "--db", db_url).out
    for name, w in want.items():
        line = next(x for x in text.splitlines() if x.startswith(w["attempt"][:8]))
        cells = line.split()
        shown = [str(w["total"])] + ([YES[w["passed"]]] if w["passed"] is not None else []) + [w["state"]]
        at = cells.index(w["state"]) - len(shown) + 1
        assert cells[at:at + len(shown)] == shown, (name, line)
    assert f"{want['乙']['attempt'][:8]} 作废：{VOID_REASON}" in text

    from simulator.desk.xapi import EXTENSION_BASE

    statements = [json.loads(x) for x in kefu(capsys, "results", "--format", "xapi", "--db", db_url).out.splitlines()]
    for s in statements:
        name, w = next((n, w) for n, w in want.items() if s["context"]["registration"].replace("-", "") == w["attempt"])
        verb = {True: "passed", False: "failed", None: "attempted"}[w["passed"]]
        assert s["verb"]["display"]["en-US"] == verb, name
        assert s["result"]["score"]["raw"] == w["total"] and s["result"].get("success") == w["passed"], name
        assert s["result"]["completion"] is True
        assert (s["context"]["extensions"].get(EXTENSION_BASE + "void-reason") == VOID_REASON) == (name == "乙")

    report = tmp_path / "report.html"
    assert kefu(capsys, "report", "--out", str(report), "--db", db_url).code == 0
    html = report.read_text(encoding="utf-8")
    for name, w in want.items():
        row = re.search(rf'<tr><td><a href="[^"]*{w["attempt"]}\.html">.*?</tr>', html).group(0)
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
        score, verdict = re.sub(r"<[^>]+>", " ", cells[5]), re.sub(r"<[^>]+>", "", cells[6])
        assert verdict == w["word"], (name, row)
        assert re.search(rf"(^|→ ){w['total']}( |$)", score.strip()), (name, score)
    assert "组长加考 1 次" in html and VOID_REASON in html and OVERRIDE_REASON in html and ADJUST_REASON in html
    assert "核验" not in html  # verification replays every attempt: only when asked for
    checked = tmp_path / "checked.html"
    assert kefu(capsys, "report", "--verify", "--out", str(checked), "--db", db_url).code == 0
    html = checked.read_text(encoding="utf-8")
    assert html.count('<td class="verified">已核验') == 4 and "不一致" in html  # the card counts 0 of them

    for name, w in want.items():
        history = kefu(capsys, "history", "--trainee", name, "--db", db_url).out
        assert f"最终 {w['total']} 分（{w['word']}）" in history, (name, history)
    queue = kefu(capsys, "calibrate", "review", "--db", db_url).out
    assert want["丙"]["attempt"][:8] in queue and want["乙"]["attempt"][:8] not in queue  # voided: waits no more
    voided = kefu(capsys, "history", "--trainee", "乙", "--db", db_url).out
    assert VOID_REASON in voided and "待复核" not in voided  # a void ends the wait for a review
    if not db_url.startswith("postgresql"):  # 我的记录 reads this machine's SQLite records
        from simulator.tui.screens.history import history_for

        assert f"最终 {want['乙']['total']} 分（作废）" in history_for(Path(db_url).parent, "乙")

    for name, w in want.items():
        bundle = tmp_path / f"{name}.json"
        assert kefu(capsys, "export", w["attempt"], "--out", str(bundle), "--db", db_url).code == 0
        final = json.loads(bundle.read_text(encoding="utf-8"))["review"]["final"]
        assert (final["total"], final["passed"]) == (w["total"], w["passed"]), name
        verified = kefu(capsys, "verify", str(bundle))
        assert verified.code == 0, verified.out + verified.err


def test_a_bundle_whose_final_result_was_edited_is_caught(db_url, tmp_path, capsys):
    want = _cohort(capsys, db_url, tmp_path)
    bundle = tmp_path / "b.json"
    assert kefu(capsys, "export", want["乙"]["attempt"], "--out", str(bundle), "--db", db_url).code == 0
    doc = json.loads(bundle.read_text(encoding="utf-8"))
    doc["review"]["final"]["passed"] = True  # a voided attempt made to look passed
    bundle.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    verified = kefu(capsys, "verify", str(bundle))
    assert verified.code != 0 and "最终结果" in verified.out + verified.err


async def test_the_desk_shows_the_same_result_and_voids_and_sets_a_cohort(db_url, tmp_path, capsys):
    from desk_cohort import settle

    from simulator.records.store import open_store
    from simulator.tui.desk.app import DeskApp
    from simulator.tui.desk.replay import ReplayScreen

    want = _cohort(capsys, db_url, tmp_path)
    with open_store(db_url, housekeeping=False) as store:
        app = DeskApp(store, cases_dir=tmp_path / "cases", animations=False)
        async with app.run_test(size=(160, 45)) as pilot:
            await settle(pilot)
            screen = app.screen
            cohort = screen.query_one("#cohort-table", DataTable)
            attempts = screen.query_one("#attempt-table", DataTable)
            assert str(cohort.get_row("乙")[2]).startswith("作废 —/— 1次 作废1")  # a void's score is no one's best
            assert str(cohort.get_row("丙")[2]).startswith("待复核") and "+1加考" in str(cohort.get_row("丙")[2])
            for name, w in want.items():
                screen.show_trainee(name)
                cells = [str(c) for c in attempts.get_row(w["attempt"])]
                assert cells[5] == f"{w['total']} {w['word']}", (name, cells)
                assert cells[7].startswith(w["state"]), (name, cells)
            # 丙's 期次 from the desk (e), written through records.lead with the audit trail
            cohort.move_cursor(row=cohort.get_row_index("丙"))
            await pilot.press("e")
            await settle(pilot)
            app.screen.query_one("#dialog-text").value = "2026年12月期"
            await pilot.press("enter")
            await settle(pilot)
            assert str(cohort.get_row("丙")[1]) == "2026年12月期"
            # verification on request (y), in a worker
            await pilot.press("y")
            await settle(pilot)
            screen.show_trainee("丁")
            assert str(attempts.get_row(want["丁"]["attempt"])[8]) == "已核验"
            # void 丁's attempt from the replay (z), with a reason
            app.open_replay(want["丁"]["attempt"])
            await settle(pilot)
            assert isinstance(app.screen, ReplayScreen)
            assert "最终 55（通过）　复核改分：超时是系统问题" in str(app.screen.query_one("#replay-title").render())
            await pilot.press("z")
            await settle(pilot)
            app.screen.query_one("#dialog-text").value = "代考[/]\x1b[2J"  # hostile: markup and a screen clear
            await pilot.press("enter")
            await settle(pilot)
            assert "作废：代考[/]␛[2J" in str(app.screen.query_one("#replay-title").render())
            await pilot.press("escape")
            await settle(pilot)
            screen.show_trainee("丁")
            assert str(attempts.get_row(want["丁"]["attempt"])[5]) == "55 作废"
            assert str(attempts.get_row(want["丁"]["attempt"])[7]) == "作废：代考[/]␛[2J"
        assert app.return_code in (None, 0)
    listed = kefu(capsys, "trainee", "list", "--format", "json", "--db", db_url).json()
    assert {t["name"]: t["cohort"] for t in listed}["丙"] == "2026年12月期"
    rows = {r["attempt"]: r for r in kefu(capsys, "results", "--format", "json", "--db", db_url).json()}
    assert rows[want["丁"]["attempt"]]["void_reason"] == "代考[/]\x1b[2J" and rows[want["丁"]["attempt"]]["final_passed"] is False
    from simulator.records.audit import events_of

    with open_store(db_url) as store:
        trail = [(e["action"], e["actor"]) for e in events_of(store, want["丁"]["attempt"])]
    assert ("void", "组长") in trail
