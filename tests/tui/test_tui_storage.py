"""Best scores and saved reports: atomic writes, never losing saved data."""

from __future__ import annotations

import json
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


def test_damaged_best_scores_are_kept_aside(tmp_path):
    (tmp_path / storage.BEST_SCORES_FILE).write_text("{not json", encoding="utf-8")
    best = BestScores(tmp_path)
    assert best.load() == {}
    assert best.record("wig", 50)
    assert (tmp_path / "best_scores.json.damaged").read_text(encoding="utf-8") == "{not json"
    assert best.load() == {"wig": 50}


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


# Files damaged in shape: valid JSON, wrong content. (text on disk, what load() keeps)
DAMAGED_SHAPES = {
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
def test_damaged_shapes_load_without_raising_and_lose_nothing(tmp_path, name):
    text, kept = DAMAGED_SHAPES[name]
    path = tmp_path / storage.BEST_SCORES_FILE
    path.write_text(text, encoding="utf-8")
    best = BestScores(tmp_path)
    assert best.load() == kept
    assert best.get("wig-wrong-color") is None
    assert path.read_text(encoding="utf-8") == text  # reading never touches the file

    assert best.record("new-scenario", 42) is True
    # the whole file as it was is kept aside; its valid entries carry over into the new one
    assert (tmp_path / "best_scores.json.damaged").read_text(encoding="utf-8") == text
    assert best.load() == {**kept, "new-scenario": 42}
    assert json.loads(path.read_text(encoding="utf-8")) == {"best": {**kept, "new-scenario": 42}}


def test_damaged_file_is_rewritten_even_without_a_new_best(tmp_path):
    text = '{"best": {"wig": 80, "bad": "x"}}'
    path = tmp_path / storage.BEST_SCORES_FILE
    path.write_text(text, encoding="utf-8")
    best = BestScores(tmp_path)
    assert best.record("wig", 50) is False
    assert (tmp_path / "best_scores.json.damaged").read_text(encoding="utf-8") == text
    assert json.loads(path.read_text(encoding="utf-8")) == {"best": {"wig": 80}}


def test_an_earlier_damaged_file_is_never_replaced(tmp_path):
    path = tmp_path / storage.BEST_SCORES_FILE
    best = BestScores(tmp_path)
    path.write_text("{not json", encoding="utf-8")
    assert best.record("a", 10)
    path.write_text('{"best": []}', encoding="utf-8")
    assert best.record("b", 20)
    assert (tmp_path / "best_scores.json.damaged").read_text(encoding="utf-8") == "{not json"
    assert (tmp_path / "best_scores.json.damaged-2").read_text(encoding="utf-8") == '{"best": []}'
    assert best.load() == {"b": 20}


def test_a_clean_file_is_not_moved_aside(tmp_path):
    best = BestScores(tmp_path)
    assert best.record("wig", 60)
    assert best.record("wig", 40) is False
    assert best.record("other", 70)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["best_scores.json"]


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
