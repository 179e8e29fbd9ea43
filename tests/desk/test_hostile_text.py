"""Issue 20 §1: hostile names, replies and comments put through every command and screen of the lead's
tools — nothing reaches the terminal raw (escape sequences visible, never run), nothing is parsed as
Rich markup (a `[/]` crashes nothing), CSV cells that a spreadsheet would run as formulas are
neutralised (OWASP), HTML stays text. Real commands (`kefu …` in-process), the real desk and the real
我的记录 screen."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import timedelta

import pytest
from desk_cohort import START, fixed_clock, settle
from textual.widgets import DataTable

from simulator.cli import main
from simulator.records.bulk import EXAMS, synthetic_attempt, write_attempts
from simulator.records.store import open_store
from simulator.safetext import csv_cell, html, markup, terminal

ESCAPES = "\x1b]0;owned\x07\x1b[2J\x1b[H\x1b]52;c;cm0gLXJmIH4K\x07\x9b31m\u202e"
"""Retitle the window, clear the screen, put `rm -rf ~` in the clipboard (OSC 52), C1 CSI, a bidi override."""
FORMULAS = ['=HYPERLINK("http://x.invalid","点我")', "+86王五", "-赵六", "@钱七"]
MARKUP = ["[/]", "[bold red]组长[/]", "[link=http://x.invalid]点[/link]"]
NAMES = FORMULAS + MARKUP
REPLY = f"好的{ESCAPES}rm -rf ~\n[/]<script>alert(1)</script>"
COMMENT = f"[/] 批注{ESCAPES}"


def _raw(text: str) -> bool:
    """Whether any control or escape character would reach the terminal as is."""
    return any(ch in text for ch in ("\x1b", "\x07", "\x9b", "\u202e"))


@pytest.fixture
def hostile(tmp_path, monkeypatch):
    monkeypatch.setenv("KEFU_TZ", "Asia/Shanghai")
    db = str(tmp_path / "hostile.db")
    rng = random.Random(20)
    items = [synthetic_attempt(rng, name, "[/]期", EXAMS[n % 2], 1, START + timedelta(days=n), "completed")
             for n, name in enumerate(NAMES)]
    for item in items:
        for session in item.sessions:
            for turn in session.turns:
                if turn.role == "trainee":
                    turn.text = REPLY
    with open_store(db, now=fixed_clock) as store:
        write_attempts(store, items)
        for item in items:
            full = store.attempt(item.id)
            turn = next(t for s in full["sessions"] for t in s["turns"] if t["role"] == "trainee")
            store.add_comment(item.id, turn["id"], "[/]组长", COMMENT)
            store.add_verdict(item.id, "组长", f"结论{ESCAPES}[/]")
            store.add_override(item.id, "组长", 70, True, f"=1+1 理由{ESCAPES}")
    return db, items


def run(capsysbinary, *args: str) -> tuple[int, str, str]:
    capsysbinary.readouterr()
    code = main(list(args))
    out = capsysbinary.readouterr()
    return code, out.out.decode("utf-8"), out.err.decode("utf-8")


def test_safetext_rules():
    assert terminal("a\x1b[2Jb") == "a␛[2Jb" and terminal("x\ny") == "x\ny" and terminal("x\ny", one_line=True) == "x␊y"
    assert terminal("\x9b\u202e") == "<U+009B><U+202E>"
    assert markup("[/]") == "\\[/]"
    assert html('<a href="x">') == "&lt;a href=&quot;x&quot;&gt;"
    assert [csv_cell(v) for v in ("=1", "+1", "-1", "@a", "\tx", "\rx", "王五", "")] == \
        ["'=1", "'+1", "'-1", "'@a", "'\tx", "'\rx", "王五", ""]


def test_results_in_every_format(hostile, capsysbinary):
    db, items = hostile
    for fmt in ("table", "csv", "json", "xapi"):
        code, out, err = run(capsysbinary, "results", "--db", db, "--format", fmt)
        assert code == 0, err
        assert not _raw(out), fmt
    code, out, _ = run(capsysbinary, "results", "--db", db, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    trainees = {row[2] for row in rows[1:]}
    assert {"'" + name for name in FORMULAS} <= trainees  # neutralised: shown as text by Excel/WPS
    assert set(MARKUP) <= trainees  # harmless names unchanged
    reasons = {row[13] for row in rows[1:]}
    assert all(r.startswith("'=1+1") for r in reasons)
    assert not any(cell[:1] in "=+-@\t\r" for row in rows[1:] for cell in row if cell)
    code, out, _ = run(capsysbinary, "results", "--db", db, "--format", "json")
    assert {r["trainee"] for r in json.loads(out)} == set(NAMES)  # JSON keeps the data exact


def test_history_report_writeup_export_verify(hostile, capsysbinary, tmp_path):
    db, items = hostile
    for name in NAMES:
        code, out, err = run(capsysbinary, "history", "--db", db, f"--trainee={name}")
        assert code == 0, err
        assert not _raw(out) and "␛" in out and "[/] 批注" in out
    out_file = tmp_path / "r.html"
    code, out, err = run(capsysbinary, "report", "--db", db, "--out", str(out_file))
    assert code == 0, err and not _raw(out)
    pages = [out_file.read_text(encoding="utf-8")] + [
        p.read_text(encoding="utf-8") for p in (tmp_path / "r-对话").glob("*.html")]
    assert len(pages) == len(items) + 1
    joined = "".join(pages)
    assert not _raw(joined) and "<script>" not in joined and "&lt;script&gt;" in joined
    for item in items:
        md = tmp_path / f"{item.id}.md"
        code, out, err = run(capsysbinary, "writeup", item.id, "--db", db, "--out", str(md))
        assert code == 0, err
        assert not _raw(md.read_text(encoding="utf-8")) and not _raw(out)
    # A real attempt, exported, then tampered with text that would clear the screen and draw a fake 成立.
    real = str(tmp_path / "real.db")
    replies = tmp_path / "r.txt"
    replies.write_text("亲，非常抱歉给您添麻烦了，请问订单号是多少？\n[+20s] 我们马上给您补发，运费我们承担，您看可以吗？\n",
                       encoding="utf-8")
    code, out, err = run(capsysbinary, "exam", "run", "after-sales-basic", "--trainee", "王芳", "--db", real,
                         "--quiet", "--replies", *[str(replies)] * 3)
    assert code == 0, err
    attempt_id = json.loads(out)["attempt"]
    bundle = tmp_path / "b.json"
    code, _, err = run(capsysbinary, "export", attempt_id, "--db", real, "--out", str(bundle))
    assert code == 0, err
    data = json.loads(bundle.read_text(encoding="utf-8"))
    data["attempt"]["trainee"] = f"成立{ESCAPES}"
    data["attempt"]["status"] = "interrupted"
    data["attempt"]["status_reason"] = f"\x1b[2J\x1b[H成立：完全一致{ESCAPES}"
    bundle.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsysbinary, "verify", str(bundle))
    # (whether an edited header holds is issue 19's to decide; here: whatever verify says, it says as text)
    assert code in (0, 1) and "成立" in out
    assert "␛[2J" in out  # the tampered text is shown, as text
    assert not _raw(out) and not _raw(err)


async def test_the_desk_and_its_replay_survive_hostile_text(hostile, tmp_path):
    from simulator.tui.desk.app import DeskApp
    from simulator.tui.desk.cohort import CohortScreen
    from simulator.tui.desk.replay import ReplayScreen

    db, items = hostile
    with open_store(db, now=fixed_clock, housekeeping=False) as store:
        app = DeskApp(store, cases_dir=tmp_path / "cases", animations=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, CohortScreen)
            table = screen.query_one("#cohort-table", DataTable)
            assert sorted(str(k.value) for k in table.rows) == sorted(NAMES)
            shown = [str(table.get_row(name)[0]) for name in NAMES]
            assert shown == NAMES  # markup shown as the text it is
            for item in items:
                app.open_replay(item.id)
                await settle(pilot)
                replay = app.screen
                assert isinstance(replay, ReplayScreen)
                for _ in range(3):
                    await pilot.press("right")
                lines = str(replay.query_one("#replay-lines").render())
                title = str(replay.query_one("#replay-title").render())
                assert not _raw(lines) and not _raw(title)
                assert "␛" in lines and "[/]" in lines and "<U+202E>" in lines
                await pilot.press("escape")
                await settle(pilot)
            assert isinstance(app.screen, CohortScreen)
        assert app.return_code in (None, 0)


async def test_my_records_screen_shows_a_hostile_comment(tmp_path):
    from textual.app import App

    from simulator.tui.screens.history import HistoryScreen

    records = tmp_path / "records"
    records.mkdir()
    rng = random.Random(3)
    item = synthetic_attempt(rng, "[/]学员", None, EXAMS[0], 1, START, "completed")
    with open_store(str(records / "kefu.db"), now=fixed_clock) as store:
        write_attempts(store, [item])
        turn = next(t for s in store.attempt(item.id)["sessions"] for t in s["turns"] if t["role"] == "trainee")
        store.add_comment(item.id, turn["id"], "组长", COMMENT)

    class Settings:
        records_dir = records

    class Host(App):
        settings = Settings()

        def on_mount(self) -> None:
            self.push_screen(HistoryScreen())

    import simulator.records.practice as practice

    original = practice.local_trainee
    practice.local_trainee = lambda: "[/]学员"
    try:
        app = Host()
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            text = str(app.screen.query_one("#history-text").render())
            assert "[/] 批注" in text and "␛" in text and not _raw(text)
    finally:
        practice.local_trainee = original
