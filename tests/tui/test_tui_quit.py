"""How to leave the practice room: Ctrl+Q in every screen's footer; Ctrl+C asks in Chinese, twice quits."""

from __future__ import annotations

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from test_tui_home_and_scorecard import finish_model_wig
from tui_helpers import chat_idle, on_screen, wait_until

SIZE = (100, 40)


def footer_keys(app) -> dict[str, str]:
    """What the footer of the current screen shows: key -> description."""
    footer = app.screen.query_one(Footer)
    return {key.key: key.description for key in footer.query(FooterKey)}


async def test_ctrl_q_is_in_the_footer_of_home_chat_and_scorecard(app_factory, clock):
    app = app_factory(scenario_id=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert footer_keys(app).get("ctrl+q") == "退出", footer_keys(app)
        await pilot.press("enter")
        await wait_until(pilot, on_screen(app, "ChatScreen"))
        await wait_until(pilot, chat_idle(app))
        assert footer_keys(app).get("ctrl+q") == "退出", footer_keys(app)
        await finish_model_wig(pilot, clock)
        assert footer_keys(app).get("ctrl+q") == "退出", footer_keys(app)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_ctrl_c_asks_in_chinese_and_a_second_ctrl_c_quits(app_factory):
    app = app_factory()  # in the chat, where an accidental Ctrl+C would lose the conversation
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.is_running and on_screen(app, "ChatScreen")()
        shown = [(n.title, n.message) for n in app._notifications]
        assert ("要退出吗？", "再按一次 Ctrl+C 退出（或按 Ctrl+Q）。") in shown
        assert not any("quit" in message.lower() for _, message in shown)  # not Textual's English toast
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app.is_running


async def test_the_quit_question_expires(app_factory):
    app = app_factory(scenario_id=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+c")
        app._disarm_quit()  # what the timer does after QUIT_CONFIRM_SECONDS (tests never sleep)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.is_running  # asked again instead of quitting
