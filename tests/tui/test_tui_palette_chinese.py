"""Issue 21 §3: the command palette speaks Chinese — its footer key, its search field and every command."""

from __future__ import annotations

import re

from tui_helpers import chat_idle, on_screen, wait_until

from textual.command import CommandInput
from textual.widgets._footer import FooterKey

SIZE = (100, 40)
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


async def test_palette_commands_and_search_field_are_chinese(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        titles = [(c.title, c.help) for c in app.get_system_commands(app.screen)]
        assert ("退出", "离开程序") in titles and any(t == "截图" for t, _ in titles)
        english = [t for t, _ in titles if LATIN_WORD.search(t)]
        assert english == [], english
        await pilot.press("ctrl+p")
        await wait_until(pilot, on_screen(app, "CommandPalette"))
        assert app.screen.query_one(CommandInput).placeholder == "搜索命令…"


async def test_no_english_palette_label_in_the_footer(app_factory):
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, chat_idle(app))
        # The footer composes its keys a refresh after the screen (a loaded machine: later than the chat is idle).
        await wait_until(pilot, lambda: bool(app.screen.query(FooterKey)))
        keys = [(k.key_display or k.key, k.description) for k in app.screen.query(FooterKey)]
        assert keys, "the chat screen shows a footer"
        assert all(not LATIN_WORD.search(description) for _, description in keys), keys
        assert any(description == "命令" for _, description in keys), keys
