"""Home (filter, preview with the rubric, best scores), the scorecard's actions and the help screen."""

from __future__ import annotations

import json

from tui_helpers import (MODEL_WIG, WIG, chat_idle, end_chat, finish_to_scorecard, on_screen, send, type_keys,
                          wait_until)

from simulator.tui.screens.chat import ChatScreen
from simulator.tui.storage import BestScores
from textual.widgets import DataTable

SIZE = (100, 40)


async def test_home_lists_filters_and_previews(app_factory, library, settings):
    BestScores(settings.records_dir).record(WIG, 77)
    app = app_factory(scenario_id=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == len(library.scenarios)
        assert table.get_row(WIG)[1] == "77"
        first = table.cursor_row
        await pilot.press("down")  # arrows move the list while the filter has the focus
        assert table.cursor_row == first + 1
        await type_keys(pilot, "假发")
        assert [k.value for k in table.rows] == [WIG]
        case = str(app.screen.query_one("#preview-case").render())
        assert "深棕色" in case and "店铺政策" in case
        rubric = str(app.screen.query_one("#preview-rubric").render())
        assert "评分标准" in rubric and "apology.early" in rubric
        await pilot.press("enter")
        await wait_until(pilot, on_screen(app, "ChatScreen"))
        assert app.screen.scenario.id == WIG


async def test_home_filter_with_no_match(app_factory):
    app = app_factory(scenario_id=None)
    async with app.run_test(size=SIZE) as pilot:
        await type_keys(pilot, "zzzz")
        assert app.screen.query_one(DataTable).row_count == 0
        assert "没有符合" in str(app.screen.query_one("#preview-case").render())
        await pilot.press("enter")  # nothing to start: stays home
        assert type(app.screen).__name__ == "HomeScreen"


async def finish_model_wig(pilot, clock):
    await wait_until(pilot, chat_idle(pilot.app))
    for reply in MODEL_WIG:
        if pilot.app.screen._grading:
            break
        clock.advance(12)
        await send(pilot, reply)
    await finish_to_scorecard(pilot)


async def test_scorecard_saves_records_best_and_retries_with_the_same_seed(app_factory, clock, settings):
    app = app_factory(seed=None)
    async with app.run_test(size=SIZE) as pilot:
        await finish_model_wig(pilot, clock)
        card_screen = app.screen
        seed, total = card_screen.seed, card_screen.scorecard.total
        await wait_until(pilot, lambda: BestScores(settings.records_dir).get(WIG) == total)
        await pilot.press("s")
        await wait_until(pilot, lambda: bool(card_screen.saved_paths))
        json_path, md_path = card_screen.saved_paths
        assert json_path.parent == settings.records_dir / "reports"
        data = json.loads(json_path.read_text(encoding="utf-8"))
        assert data["scenario_id"] == WIG and data["seed"] == seed
        assert data["scorecard"]["total"] == total and data["transcript"][0]["role"] == "customer"
        assert "## 对话记录" in md_path.read_text(encoding="utf-8")
        await pilot.press("r")
        await wait_until(pilot, on_screen(app, "ChatScreen"))
        assert app.screen.seed == seed
        await end_chat(pilot)
        await pilot.press("n")
        await wait_until(pilot, on_screen(app, "ChatScreen"))
        assert app.screen.scenario.id != WIG or len(app.library.scenarios) == 1
        await wait_until(pilot, chat_idle(app))
        await end_chat(pilot)
        await pilot.press("escape")
        await wait_until(pilot, on_screen(app, "HomeScreen"))
        assert app.screen.query_one(DataTable).get_row(WIG)[1] == str(total)


async def test_help_and_command_palette(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        await pilot.press("f1")
        await wait_until(pilot, on_screen(app, "HelpScreen"))
        text = str(app.screen.query_one("#help-steps").render())
        for step in ("接受投诉", "平息怨气", "澄清问题", "协商解决", "感谢客户"):
            assert step in text
        await pilot.press("escape")
        await wait_until(pilot, on_screen(app, "ChatScreen"))
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "切换主题（深色/浅色）" in titles and "结束对话" in titles
        app.action_toggle_theme()
        assert app.theme == "textual-light"
        assert isinstance(app.screen, ChatScreen)


async def test_works_at_80x24_and_200x60(app_factory, clock):
    for size in ((80, 24), (200, 60)):
        app = app_factory()
        async with app.run_test(size=size) as pilot:
            await wait_until(pilot, chat_idle(app))
            clock.advance(5)
            await send(pilot, MODEL_WIG[0])
            reply = app.screen.query_one("#reply")
            assert reply.region.height >= 3 and reply.region.right <= size[0]
            bubble = app.screen.query("TraineeBubble").last()
            assert bubble.region.width <= int(app.screen.query_one("#transcript").region.width * 0.8) + 1
