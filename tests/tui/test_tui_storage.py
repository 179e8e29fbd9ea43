"""Best scores and saved reports: atomic writes, never losing saved data."""

from __future__ import annotations

import json
import os
from datetime import datetime

import pytest
from textual.widgets import DataTable

from simulator.tui import storage
from simulator.tui.storage import BestScores, atomic_write_text, render_markdown, save_report


def test_best_score_keeps_the_maximum(tmp_path):
    best = BestScores(tmp_path)
    assert best.get("wig") is None
    assert best.record("wig", 60) is True
    assert best.record("wig", 40) is False
    assert best.record("wig", 75) is True
    assert best.record("other", 10) is True
    assert best.load() == {"wig": 75, "other": 10}


def test_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "f.json"
    atomic_write_text(path, "old")

    def boom(*_):
        raise OSError("disk full")

    monkeypatch.setattr(storage.os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write_text(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]


def test_reports_never_overwrite(tmp_path):
    report = {
        "scenario_id": "wig", "title": "假发", "seed": 1, "outcome": "resolved",
        "transcript": [{"role": "customer", "text": "你好", "seconds": None},
                       {"role": "trainee", "text": "您好", "seconds": 3.0}],
        "scorecard": {"total": 80, "apology": 80, "empathy": 80, "question": 80, "solution": 80,
                      "deductions": 0, "tips": ["多问"], "items": [
                          {"rule": "apology.early", "points": 65, "turn": 0, "reason": "及早道歉",
                           "quote": "抱歉", "better": ""}]},
    }
    now = datetime(2026, 11, 23, 14, 0, 0)
    first = save_report(tmp_path, report, now=now)
    second = save_report(tmp_path, report, now=now)
    assert first != second and all(p.exists() for p in (*first, *second))
    assert json.loads(first[0].read_text(encoding="utf-8"))["seed"] == 1
    md = render_markdown(report)
    assert "**客服**（3秒）：您好" in md and "[apology.early] +65（第1句）" in md


# Old best_scores.json files damaged in shape: valid JSON, wrong content. (text on disk, what is imported)
DAMAGED_SHAPES = {
    "not-json": ("{not json", {}),
    "best-is-a-list": ('{"best": []}', {}),
    "best-is-a-string": ('{"best": "wig"}', {}),
    "top-level-list": ('[{"best": {"wig": 80}}]', {}),
    "top-level-null": ("null", {}),
    "infinite-score": ('{"best": {"wig-wrong-color": 1e999}}', {}),
    "nan-score": ('{"best": {"wig-wrong-color": NaN}}', {}),
    "mixed-entries": (
        '{"best": {"ok": 80, "edge-low": 0, "edge-high": 100, "text": "90", "neg": -5, "big": 101,'
        ' "flag": true, "none": null, "list": [1], "inf": -1e999, "float": 75.0}}',
        {"ok": 80, "edge-low": 0, "edge-high": 100, "float": 75},
    ),
    "unknown-top-level-key": ('{"best": {"wig": 80}, "notes": "mine"}', {"wig": 80}),
}


@pytest.mark.parametrize("name", sorted(DAMAGED_SHAPES))
def test_an_old_best_scores_file_is_imported_once_and_never_touched(tmp_path, name):
    text, kept = DAMAGED_SHAPES[name]
    path = tmp_path / storage.BEST_SCORES_FILE
    path.write_text(text, encoding="utf-8")
    best = BestScores(tmp_path)
    assert best.load() == kept
    assert best.record("new-scenario", 42) is True
    assert best.load() == {**kept, "new-scenario": 42}
    assert path.read_text(encoding="utf-8") == text  # the old file is kept as it was
    # Imported once: a later change to the old file is not read again.
    path.write_text('{"best": {"late": 99}}', encoding="utf-8")
    assert "late" not in BestScores(tmp_path).load()


def test_a_clean_old_file_is_imported_without_a_warning(tmp_path):
    (tmp_path / storage.BEST_SCORES_FILE).write_text('{"best": {"wig": 80}}', encoding="utf-8")
    best = BestScores(tmp_path)
    assert best.load() == {"wig": 80} and best.warning == ""
    assert best.record("wig", 70) is False and best.record("wig", 85) is True
    assert best.load() == {"wig": 85}


@pytest.mark.parametrize("special", ["fifo", "dev-zero-link", "folder", "too-large"])
def test_special_old_files_are_refused_with_a_warning_never_read(tmp_path, special):
    path = tmp_path / storage.BEST_SCORES_FILE
    if special == "fifo":
        os.mkfifo(path)  # opening it would block for ever
    elif special == "dev-zero-link":
        path.symlink_to("/dev/zero")  # reading it would never end
    elif special == "folder":
        path.mkdir()
    else:
        path.write_text('{"best": {"a": 1}, "pad": "' + "x" * (2 * 1024 * 1024) + '"}', encoding="utf-8")
    best = BestScores(tmp_path)
    assert best.load() == {}
    assert best.warning and ("不是普通文件" in best.warning or "太大" in best.warning)
    assert best.record("wig", 50) is True and best.load() == {"wig": 50}


def test_two_practice_rooms_sharing_a_folder_lose_nothing(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from simulator.tui.storage import BestScores\n"
        "b = BestScores(sys.argv[1], trainee='同一个人')\n"
        "for n in range(15):\n"
        "    b.record(f'{sys.argv[2]}-{n}', n)\n"
        "    b.record('shared', int(sys.argv[3]) + n)\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path), name, start])
             for name, start in (("a", "0"), ("b", "50"))]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    best = BestScores(tmp_path, trainee="同一个人").load()
    assert {f"{x}-{n}" for x in "ab" for n in range(15)} <= set(best)
    assert best["shared"] == 64


def test_a_database_that_cannot_be_used_does_not_stop_the_practice_room(tmp_path):
    (tmp_path / "kefu.db").write_text("not a database " * 200, encoding="utf-8")
    best = BestScores(tmp_path)
    assert best.load() == {} and "不是 kefu 的记录数据库" in best.warning


def test_reports_saved_at_once_by_many_writers_all_survive(tmp_path):
    import threading

    report = {"scenario_id": "wig", "title": "假发", "seed": 1, "outcome": "resolved", "transcript": [],
              "scorecard": {"total": 80, "apology": 80, "empathy": 80, "question": 80, "solution": 80,
                            "deductions": 0, "tips": [], "items": []}}
    now = datetime(2026, 11, 23, 14, 0, 0)
    saved: list = []

    def save(n: int) -> None:
        saved.append(save_report(tmp_path, {**report, "seed": n}, now=now))

    threads = [threading.Thread(target=save, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    names = {p.name for pair in saved for p in pair}
    assert len(saved) == 8 and len(names) == 16
    seeds = sorted(json.loads(pair[0].read_text(encoding="utf-8"))["seed"] for pair in saved)
    assert seeds == list(range(8))  # no report overwrote another
    assert not [p for p in (tmp_path / "reports").iterdir() if p.name.endswith(".tmp")]


def test_leftovers_of_interrupted_saves_are_cleaned(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    old = folder / ".20261101-wig.json.abc123.tmp"
    young = folder / ".20261101-wig.json.def456.tmp"
    old.write_text("half", encoding="utf-8")
    young.write_text("in progress elsewhere", encoding="utf-8")
    hour_ago = old.stat().st_mtime - 3600
    os.utime(old, (hour_ago, hour_ago))
    keep = folder / "20261101-wig.json"
    keep.write_text("{}", encoding="utf-8")
    assert storage.clean_leftovers(folder, now=young.stat().st_mtime + 1) == [old]
    assert young.exists() and keep.exists() and not old.exists()


@pytest.mark.parametrize("name", ["best-is-a-list", "infinite-score"])
async def test_home_screen_opens_with_a_damaged_best_scores_file(app_factory, settings, library, name):
    text, _ = DAMAGED_SHAPES[name]
    settings.records_dir.mkdir(parents=True, exist_ok=True)
    path = settings.records_dir / storage.BEST_SCORES_FILE
    path.write_text(text, encoding="utf-8")
    app = app_factory(scenario_id=None)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == len(library.scenarios)
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("special", ["fifo", "dev-zero-link"])
async def test_home_screen_opens_with_a_special_best_scores_file(app_factory, settings, library, special):
    settings.records_dir.mkdir(parents=True, exist_ok=True)
    path = settings.records_dir / storage.BEST_SCORES_FILE
    if special == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    app = app_factory(scenario_id=None)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == len(library.scenarios)
        assert any("不是普通文件" in n.message for n in app._notifications)
