"""Best scores and saved reports: atomic writes, never losing saved data."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

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
