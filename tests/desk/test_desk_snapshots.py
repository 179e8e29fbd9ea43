"""Visual regressions of the desk and the replay (pytest-textual-snapshot). Deterministic: the cohort
is written with a fixed clock and seed into tmp_path. Update with
`pytest tests/desk/test_desk_snapshots.py --snapshot-update`, then review each SVG before committing."""

from __future__ import annotations

from desk_cohort import settle
from textual.widgets import DataTable

SIZE = (120, 36)


def test_desk(snap_compare, desk):
    async def run_before(pilot) -> None:
        await settle(pilot)
        table = pilot.app.screen.query_one("#cohort-table", DataTable)
        table.move_cursor(row=1)
        await settle(pilot)

    assert snap_compare(desk(), terminal_size=SIZE, run_before=run_before)


def test_replay(snap_compare, desk, store):
    attempt = store.items[0]
    review_turn = next(t for t in store.attempt(attempt.id)["sessions"][0]["turns"] if t["role"] == "trainee")
    store.add_comment(attempt.id, review_turn["id"], "组长", "先道歉，再问订单号")
    store.add_override(attempt.id, "组长", 80, True, "人工复核")

    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.open_replay(attempt.id)
        await settle(pilot)
        await pilot.press("right", "right", "right")
        await settle(pilot)

    assert snap_compare(desk(), terminal_size=SIZE, run_before=run_before)
