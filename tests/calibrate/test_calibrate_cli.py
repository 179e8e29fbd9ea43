"""`kefu calibrate …` on real exam attempts: the sheet is seeded, stratified and blind; a filled sheet
is checked cell by cell and recorded with grader and time; the report's every figure equals one
computed independently here (scikit-learn / NumPy) from the records and the grades; items and the
suggested pass mark likewise."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from records_helpers import kefu, write_replies

EXAM = "calib"
EXAM_YAML = """id: calib
title: 校准用考试
scenarios: [wig-wrong-color, lost-parcel, hotel-sea-view]
pass_mark: {total: 40, no_policy_breach: true}
"""

GOOD = [
    "[+12s] 亲，非常抱歉给您添麻烦了，换作是我也会着急。请问您的订单号是多少？我马上帮您查。",
    "[+20s] 我们马上给您补发，运费由我们承担，并跟进物流第一时间告诉您，您看可以吗？",
    "[+15s] 再次向您道歉，感谢您的耐心，有任何问题随时找我。",
]
MIDDLE = ["[+12s] 亲，不好意思，请问您的订单号是多少？", "[+20s] 我们给您补发。"]
POOR = ["[+30s] 你自己看说明书吧", "[+40s] 不行"]


@pytest.fixture
def content(tmp_path) -> Path:
    """A content folder with the exam `calib` (pass mark 40, so the machine passes some conversations)."""
    folder = tmp_path / "content"
    (folder / "exams").mkdir(parents=True)
    (folder / "exams" / "calib.yaml").write_text(EXAM_YAML, encoding="utf-8")
    return folder


@pytest.fixture
def taken(db_url, tmp_path, capsys, content):
    """Six finished attempts of `calib` (18 conversations) with scores across the range."""
    sets = {"good": write_replies(tmp_path / "good", GOOD), "middle": write_replies(tmp_path / "middle", MIDDLE),
            "poor": write_replies(tmp_path / "poor", POOR)}
    mixes = [("good", "good", "good"), ("poor", "poor", "poor"), ("middle", "middle", "middle"),
             ("good", "poor", "middle"), ("middle", "good", "poor"), ("poor", "middle", "good")]
    for n, mix in enumerate(mixes):
        replies = [sets[kind][i] for i, kind in enumerate(mix)]
        result = kefu(capsys, "exam", "run", EXAM, "--content", str(content), "--trainee", f"学员{n}",
                      "--db", db_url, "--quiet", "--replies", *replies)
        assert result.code == 0, result.err
    return db_url


def _conversations(db_url):
    from simulator.records.calibration import exam_conversations
    from simulator.records.store import open_store

    with open_store(db_url) as store:
        return exam_conversations(store, EXAM)


def _read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel/WPS read it as UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_sheet_is_seeded_stratified_and_blind(taken, tmp_path, capsys):
    from simulator.calibrate.statistics import band

    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    for out, seed in ((a, "5"), (b, "5"), (c, "6")):
        result = kefu(capsys, "calibrate", "sheet", "--exam", EXAM, "--sample", "6", "--seed", seed,
                      "--db", taken, "--out", str(out))
        assert result.code == 0, result.err
    assert a.read_bytes() == b.read_bytes()  # same seed: the same sheet
    html_a = a.with_suffix(".html").read_text(encoding="utf-8")
    assert html_a.replace("a.csv", "b.csv") == b.with_suffix(".html").read_text(encoding="utf-8")
    assert c.read_bytes() != a.read_bytes()  # another seed: another draw or order
    rows = _read_csv(a)
    assert rows[0] == ["序号", "考试记录", "场景", "评分人", "道歉", "共情", "提问", "方案", "总分", "是否通过", "备注"]
    assert len(rows) == 7 and [r[0] for r in rows[1:]] == [str(n) for n in range(1, 7)]
    assert all(cell == "" for r in rows[1:] for cell in r[3:])  # grader and scores left empty
    convs = {(x["attempt_id"], x["scenario_id"]): x for x in _conversations(taken)}
    picked = [convs[(r[1], r[2])] for r in rows[1:]]
    bands = {band(x["total"]) for x in convs.values()}
    # Stratified: every score band present in the records is in a sample at least as large as the bands.
    assert len(bands) <= 6 and {band(x["total"]) for x in picked} == bands
    html = a.with_suffix(".html").read_text(encoding="utf-8")
    for n, x in enumerate(picked, 1):
        assert f"第 {n} 行" in html and x["attempt_id"] in html
    assert GOOD[0].split("] ")[1] in html or POOR[0].split("] ")[1] in html or MIDDLE[0].split("] ")[1] in html
    # Blind: no trainee, no score, no coaching.
    assert "学员0" not in html and "及早道歉" not in html and "分）" not in html
    everything = kefu(capsys, "calibrate", "sheet", "--exam", EXAM, "--sample", "100", "--db", taken,
                      "--out", str(tmp_path / "all.csv"))
    assert everything.code == 0 and len(_read_csv(tmp_path / "all.csv")) == 1 + len(convs)


def test_sheet_without_conversations_or_bad_sample(db_url, tmp_path, capsys):
    empty = kefu(capsys, "calibrate", "sheet", "--exam", EXAM, "--db", db_url, "--out", str(tmp_path / "s.csv"))
    assert empty.code == 1 and "还没有已完成的对话" in empty.err and "Traceback" not in empty.err
    bad = kefu(capsys, "calibrate", "sheet", "--exam", EXAM, "--sample", "0", "--db", db_url,
               "--out", str(tmp_path / "s.csv"))
    assert bad.code == 2 and "--sample" in bad.err


def _fill(path: Path, rows: list[list[str]], graded: dict[str, list]) -> Path:
    """The sheet with one row per (grader, conversation): graded[grader] = [(apology, empathy, question,
    solution, total, passed) per sheet row]."""
    out = [rows[0]]
    for grader, grades in graded.items():
        for row, g in zip(rows[1:], grades):
            out.append(row[:3] + [grader, *[str(v) for v in g[:5]], "是" if g[5] else "否", f"{grader}的备注"])
    buffer = io.StringIO()
    csv.writer(buffer).writerows(out)
    path.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))
    return path


def _sheet(taken, tmp_path, capsys, size=8) -> list[list[str]]:
    out = tmp_path / "sheet.csv"
    assert kefu(capsys, "calibrate", "sheet", "--exam", EXAM, "--sample", str(size), "--db", taken,
                "--out", str(out)).code == 0
    return _read_csv(out)


def test_import_refuses_bad_cells_with_lines_and_records_nothing(taken, tmp_path, capsys):
    rows = _sheet(taken, tmp_path, capsys, 4)
    bad = [rows[0],
           rows[1][:3] + ["", "80", "", "", "", "70", "是", ""],        # line 2: grades but no grader
           rows[2][:3] + ["王", "", "", "", "", "120", "是", ""],        # line 3: total out of range
           rows[3][:3] + ["王", "", "", "", "", "60", "也许", ""],       # line 4: not 是/否
           ["4", "0" * 32, "lost-parcel", "王", "", "", "", "", "60", "否", ""],  # line 5: no such conversation
           rows[4][:3] + [""] * 8]                                       # line 6: untouched: skipped
    path = tmp_path / "bad.csv"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(bad)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    result = kefu(capsys, "calibrate", "import", str(path), "--db", taken)
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{path}:2: 「评分人」是空的" in result.err
    assert f"{path}:3: 「总分」应是 0 到 100 的整数" in result.err
    assert f"{path}:4: 「是否通过」写的是 '也许'" in result.err
    assert f"{path}:5: 找不到这段对话" in result.err
    assert "什么都没有记录" in result.err
    report = json.loads(kefu(capsys, "calibrate", "report", "--exam", EXAM, "--format", "json", "--db", taken).out)
    assert report["graders"] == {} and report["conversations"] == 0
    missing = kefu(capsys, "calibrate", "import", str(tmp_path / "nope.csv"), "--db", taken)
    assert missing.code == 1 and "无法读取" in missing.err
    header = tmp_path / "header.csv"
    header.write_text("序号,考试记录\n1,x\n", encoding="utf-8")
    wrong = kefu(capsys, "calibrate", "import", str(header), "--db", taken)
    assert wrong.code == 1 and f"{header}:1: 表头缺少这些列" in wrong.err


def _machine(conv) -> dict:
    from simulator.calibrate.report import machine_passes

    return {"apology": conv["apology"], "empathy": conv["empathy"], "question": conv["question"],
            "solution": conv["solution"], "total": conv["total"], "passed": machine_passes(conv)}


def _bands(values):
    return [min(v // 10, 9) for v in values]


def _qwk(a, b):
    if len(set(_bands(a)) | set(_bands(b))) < 2:
        return None
    return round(cohen_kappa_score(_bands(a), _bands(b), weights="quadratic", labels=list(range(10))), 3)


def test_report_figures_match_an_independent_computation(taken, tmp_path, capsys):
    rows = _sheet(taken, tmp_path, capsys, 8)
    convs = {(x["attempt_id"], x["scenario_id"]): x for x in _conversations(taken)}
    machine = [_machine(convs[(r[1], r[2])]) for r in rows[1:]]
    # 王 follows the machine closely (5 points up, capped at 100); 李 is harsher and judges differently.
    wang = [tuple(min(100, m[f] + 5) for f in ("apology", "empathy", "question", "solution", "total"))
            + (m["passed"],) for m in machine]
    li = [(max(0, m["apology"] - 30), m["empathy"], 50, max(0, m["solution"] - 20), max(0, m["total"] - 25),
           m["total"] >= 30) for m in machine]
    path = _fill(tmp_path / "filled.csv", rows, {"王": wang, "李": li})
    imported = kefu(capsys, "calibrate", "import", str(path), "--db", taken)
    assert imported.code == 0, imported.err
    assert "读入 16 条评分，2 位评分人" in imported.out and "王：8 段对话" in imported.out
    result = kefu(capsys, "calibrate", "report", "--exam", EXAM, "--format", "json", "--db", taken)
    report = json.loads(result.out)
    assert report["conversations"] == 8
    assert len({m["passed"] for m in machine}) == 2  # the machine both passes and fails some: κ is defined
    for name, grades in (("王", wang), ("李", li)):
        got = report["graders"][name]
        for i, f in enumerate(("apology", "empathy", "question", "solution", "total")):
            human, mach = [g[i] for g in grades], [m[f] for m in machine]
            assert got[f]["n"] == 8
            assert got[f]["qwk"] == _qwk(human, mach), (name, f)
            assert got[f]["mad"] == pytest.approx(round(float(np.mean(np.abs(np.subtract(human, mach)))), 3))
        hp, mp = [g[5] for g in grades], [m["passed"] for m in machine]
        assert got["pass_fail"]["kappa"] == pytest.approx(round(cohen_kappa_score(hp, mp), 3))
        assert got["pass_fail"]["agreement"] == pytest.approx(round(np.mean(np.equal(hp, mp)), 3))
    between = report["between_graders"]["李 / 王"]
    assert between["total"]["qwk"] == _qwk([g[4] for g in li], [g[4] for g in wang])
    # Largest difference first, with the machine's evidence for its points.
    top = report["largest_differences"][0]
    assert top["grader"] == "李" and top["difference"] == max(abs(g[4] - m["total"]) for g, m in zip(li, machine))
    assert top["evidence"] and all("reason" in e for e in top["evidence"]) and top["note"] == "李的备注"
    # The table says it in Chinese, with the warning that 8 conversations are too few.
    table = kefu(capsys, "calibrate", "report", "--exam", EXAM, "--db", taken)
    assert table.code == 0 and "评分人与 kefu" in table.out and "只评了 8 段对话，太少" in table.out
    assert "差得最多的对话" in table.out and "kefu 的依据" in table.out
    html_out = tmp_path / "report.html"
    assert kefu(capsys, "calibrate", "report", "--format", "html", "--out", str(html_out), "--db", taken).code == 0
    assert "人机评分一致性" in html_out.read_text(encoding="utf-8")


def test_report_degenerate_one_grader_who_agrees_exactly(taken, tmp_path, capsys):
    rows = _sheet(taken, tmp_path, capsys, 6)
    convs = {(x["attempt_id"], x["scenario_id"]): x for x in _conversations(taken)}
    machine = [_machine(convs[(r[1], r[2])]) for r in rows[1:]]
    same = [tuple(m[f] for f in ("apology", "empathy", "question", "solution", "total")) + (m["passed"],)
            for m in machine]
    assert kefu(capsys, "calibrate", "import", str(_fill(tmp_path / "f.csv", rows, {"张": same})), "--db", taken).code == 0
    report = json.loads(kefu(capsys, "calibrate", "report", "--format", "json", "--db", taken).out)
    assert report["between_graders"] == {}
    got = report["graders"]["张"]
    for f in ("apology", "empathy", "question", "solution", "total"):
        values = [m[f] for m in machine]
        # All agree: κw = 1 when the scores vary; undefined (None, said in words) when they do not.
        assert got[f]["qwk"] == (1.0 if len(set(_bands(values))) > 1 else None)
        assert got[f]["mad"] == 0
    assert got["pass_fail"]["agreement"] == 1.0
    text = kefu(capsys, "calibrate", "report", "--db", taken).out
    assert "只有一位评分人" in text and "太少" in text


def test_report_with_no_grades_says_what_to_do(db_url, capsys):
    result = kefu(capsys, "calibrate", "report", "--db", db_url)
    assert result.code == 0 and "还没有人评过分" in result.out


def test_items_match_an_independent_count_and_correlation(taken, capsys):
    from scoring.rubric import DIMENSION_WEIGHTS

    result = kefu(capsys, "calibrate", "items", "--exam", EXAM, "--format", "json", "--db", taken)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    convs = _conversations(taken)
    assert data["conversations"] == len(convs) == 18
    by_id = {i["id"]: i for i in data["items"]}
    # apology.early: fires when it earned points.
    points = [sum(i["points"] for i in c["scorecard"]["items"] if i["rule"] == "apology.early") for c in convs]
    assert by_id["apology.early"]["fired"] == sum(1 for p in points if p > 0)
    rest = [c["total"] - p * DIMENSION_WEIGHTS["apology"] / 100 for c, p in zip(convs, points)]
    assert by_id["apology.early"]["correlation"] == pytest.approx(round(float(np.corrcoef(points, rest)[0, 1]), 3))
    # A dimension against the rest of the total.
    emp = [c["empathy"] for c in convs]
    rest = [c["total"] - e * DIMENSION_WEIGHTS["empathy"] / 100 for c, e in zip(convs, emp)]
    assert by_id["empathy"]["correlation"] == pytest.approx(round(float(np.corrcoef(emp, rest)[0, 1]), 3))
    # A rule nobody triggers is flagged, and its correlation is undefined, not a number.
    silent = [i for i in data["items"] if i["fired"] == 0]
    assert silent and all("几乎没人触发" in i["flags"] and i["correlation"] is None for i in silent)
    table = kefu(capsys, "calibrate", "items", "--exam", EXAM, "--db", taken)
    assert "题目分析" in table.out and "几乎没人触发" in table.out


def test_passmark_from_judgements(taken, tmp_path, capsys):
    rows = _sheet(taken, tmp_path, capsys, 18)
    convs = {(x["attempt_id"], x["scenario_id"]): x for x in _conversations(taken)}
    totals = [convs[(r[1], r[2])]["total"] for r in rows[1:]]
    judged = [(0, 0, 0, 0, t, t >= 40) for t in totals]
    assert kefu(capsys, "calibrate", "import", str(_fill(tmp_path / "p.csv", rows, {"赵": judged})), "--db", taken).code == 0
    data = json.loads(kefu(capsys, "calibrate", "passmark", "--exam", EXAM, "--format", "json", "--db", taken).out)
    passes = [t for t in totals if t >= 40]
    fails = [t for t in totals if t < 40]
    intercept_slope = np.polyfit([1.0 if t >= 40 else 0.0 for t in totals], totals, 1)
    expected = intercept_slope[1] + intercept_slope[0] * 0.5
    assert data["judgements"] == 18 and data["passes"] == len(passes) and data["fails"] == len(fails)
    assert data["cut"] == pytest.approx(expected, abs=0.05)
    # A whole mark: the cut rounded (a cut at x.5 computed two ways may round either way, both are right).
    assert abs(data["suggested"] - expected) <= 0.5 + 1e-6
    assert data["current"] == 40
    text = kefu(capsys, "calibrate", "passmark", "--exam", EXAM, "--db", taken).out
    assert f"建议的及格分：{data['suggested']}" in text and "18 个判断" in text and "太少" in text


def test_passmark_refuses_when_everyone_passes(taken, tmp_path, capsys):
    rows = _sheet(taken, tmp_path, capsys, 4)
    assert kefu(capsys, "calibrate", "import", str(_fill(tmp_path / "p.csv", rows, {"赵": [(0, 0, 0, 0, 90, True)] * 4})),
                "--db", taken).code == 0
    text = kefu(capsys, "calibrate", "passmark", "--exam", EXAM, "--db", taken).out
    assert "无法给出建议" in text and "全是通过" in text


def test_report_shows_a_graders_escape_codes_as_text(taken, tmp_path, capsys):
    """Issue 20 §1 for calibration: a note typed with terminal escapes (clear screen, retitle) reaches the
    lead's terminal made visible, never as codes; JSON keeps the data."""
    rows = _sheet(taken, tmp_path, capsys, 4)
    sheet = _fill(tmp_path / "e.csv", rows, {"赵": [(0, 0, 0, 0, 90, True)] * 4})
    text = sheet.read_bytes().decode("utf-8").replace("赵的备注", "清屏\x1b[2J改标题\x1b]0;x\x07")
    sheet.write_bytes(text.encode("utf-8"))
    assert kefu(capsys, "calibrate", "import", str(sheet), "--db", taken).code == 0
    shown = kefu(capsys, "calibrate", "report", "--exam", EXAM, "--db", taken).out
    assert "清屏␛[2J改标题␛]0;x␇" in shown and "\x1b" not in shown and "\x07" not in shown
    data = json.loads(kefu(capsys, "calibrate", "report", "--exam", EXAM, "--format", "json", "--db", taken).out)

    def strings(value):
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return [value] if isinstance(value, str) else []

    assert "清屏\x1b[2J改标题\x1b]0;x\x07" in strings(data)
