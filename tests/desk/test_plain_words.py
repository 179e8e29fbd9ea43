"""Issue 20 §4: the desk says it plainly — trend bars scaled to the score (a 1 is not an 87), a date
filter says 此期间未考 rather than 未开始, codes become Chinese words, no None, local time with its zone."""

from __future__ import annotations

from datetime import date, datetime, timezone

from desk_cohort import settle
from textual.widgets import DataTable

from simulator.desk.cohort import STATUS_NAMES, Filters, build_cohort
from simulator.desk.history import history_text
from simulator.desk.when import stamp, zone_label
from simulator.desk.words import ACTS, OUTCOMES, acts_of, number, word
from simulator.tui.desk.trend import ScoreTrend


def _height(widget: ScoreTrend) -> int:
    """How many eighths of the bars' two rows the last week fills."""
    rows = str(widget.render()).split("\n")[:2]
    blocks = " ▁▂▃▄▅▆▇█"
    return sum(blocks.index(row[-1]) for row in rows)


async def test_trend_bars_are_scaled_to_the_score():
    from textual.app import App

    class Host(App):
        def compose(self):
            yield ScoreTrend(id="low")
            yield ScoreTrend(id="high")

    app = Host()
    async with app.run_test() as pilot:
        low, high = app.query_one("#low", ScoreTrend), app.query_one("#high", ScoreTrend)
        low.show([1.0])
        high.show([87.0])
        await pilot.pause()
        assert _height(low) <= 1 and _height(high) >= 13  # one week each: a 1 is a sliver, an 87 nearly full
        assert "最近一周 87 分" in str(high.render())


def test_words_never_show_a_raw_code_or_none():
    assert word(OUTCOMES, "resolved") == "问题解决" and word(OUTCOMES, None) == "—"
    assert word(OUTCOMES, "weird") == "其他（weird）"
    assert number(None) == "—" and number(0) == "0"
    analysis = {"acts": [{"kind": "none"}, {"kind": "apology"}, {"kind": "offer"},
                         {"kind": "violation", "violation": "excuse"}]}
    assert acts_of(analysis) == ["寒暄", "道歉", "给出方案", "违规：找借口"]
    assert set(ACTS) >= {"apology", "empathy", "question", "offer", "none"}


def test_times_are_local_with_their_zone(monkeypatch):
    monkeypatch.setenv("KEFU_TZ", "Asia/Shanghai")
    at = datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc)
    assert stamp(at) == "2026-03-02 07:30" and stamp(at, with_zone=True) == "2026-03-02 07:30 UTC+08:00"
    assert zone_label(at) == "UTC+08:00" and stamp(None) == ""
    monkeypatch.setenv("KEFU_TZ", "America/New_York")
    assert stamp(at, with_zone=True) == "2026-03-01 18:30 UTC-05:00"


def test_a_date_filter_says_not_in_these_dates_rather_than_not_started(store):
    attempts = store.attempts()
    overrides = store.overrides_by_attempt()
    latest = max(a["started_at"] for a in attempts).date()
    everyone = {a["trainee"]: a["cohort"] for a in attempts}
    cohort = build_cohort(attempts, overrides, store.now(), Filters(since=latest), everyone)
    took = {(a["trainee"], a["exam_id"]) for a in attempts}
    for (name, exam), cell in cohort.cells.items():
        if not cell.attempts:
            assert cell.status == ("outside" if (name, exam) in took else "not_started")
    assert any(c.status == "outside" for c in cohort.cells.values())
    assert STATUS_NAMES["outside"] == "此期间未考"


def test_history_has_no_none_and_says_its_zone(store):
    a = store.attempts()
    text = history_text(a, {x["id"]: store.review_of(x["id"]) for x in a}, {})
    assert "None" not in text and "UTC+08:00" in text and "—" in text


async def test_the_desk_date_filter_in_the_table(desk, store):
    app = desk(filters=Filters(since=date(2026, 2, 1)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#cohort-table", DataTable)
        cells = [str(c) for key in table.rows for c in table.get_row(key)]
        assert any(c.startswith("此期间未考") for c in cells)
        assert "及以后开始的考试" in str(app.screen.query_one("#desk-title").render())
