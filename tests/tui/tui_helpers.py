"""Helpers for the practice-room tests: bounded waits (workers run in real threads), typing replies."""

from __future__ import annotations

import dataclasses
import time
import unicodedata
from collections.abc import Callable

WIG = "wig-wrong-color"
SEED = 7
MODEL_WIG = [
    "非常抱歉亲，给您添麻烦了！收到颜色不对的假发还晚到了三天，换作是我也会很失望。麻烦您提供一下订单号，我马上核实。",
    "我们24小时内给您补发正确的深棕色，并送您一张20元代金券，您看可以吗？",
    "再次向您道歉，感谢您的耐心和信任，我们会改进仓库核对流程，包裹发出后我会跟进物流并第一时间告诉您。",
]
"""A model handling of the wig case (seed 000): apology, both problems, a question; remedy; close."""
WAIT_SECONDS = 20.0  # upper bound for a worker (engine step, first jieba load) to report back


async def type_keys(pilot, text: str) -> None:
    """Type text one key press a character. Pilot.press turns non-ASCII punctuation ('，') into a
    key with no character, so those keys are sent as Key events straight to the focused widget."""
    from textual import events

    for c in text:
        if c.isalnum() or c.isascii():
            await pilot.press(c)
        else:
            name = unicodedata.name(c).lower().replace(" ", "_").replace("-", "_")
            pilot.app.focused.post_message(events.Key(name, c))
            await pilot.pause()


def only(library, *ids: str):
    """The library with just these scenarios (stable home-screen snapshots while content grows)."""
    return dataclasses.replace(library, scenarios={i: library.scenarios[i] for i in ids})


async def wait_until(pilot, predicate: Callable[[], bool], timeout: float = WAIT_SECONDS) -> None:
    """Let the app run until predicate() holds; fail after timeout (workers run in real threads)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {predicate}")
        await pilot.pause(0.02)
    await pilot.pause()


def chat_idle(app) -> Callable[[], bool]:
    """The chat has its session and nothing is in flight (engine step, pending lines)."""
    from simulator.tui.screens.chat import ChatScreen

    def idle() -> bool:
        screen = app.screen
        if not isinstance(screen, ChatScreen):
            return True
        return screen.session is not None and not screen.busy and not screen._pending
    return idle


def on_screen(app, name: str) -> Callable[[], bool]:
    return lambda: type(app.screen).__name__ == name


async def send(pilot, text: str, *, keys: bool = False) -> None:
    """Type a reply (each character as a key press, or by setting the text) and press Enter."""
    from simulator.tui.widgets.chat_input import ChatInput

    app = pilot.app
    await wait_until(pilot, chat_idle(app))
    box = app.screen.query_one(ChatInput)
    if keys:
        await type_keys(pilot, text)
    else:
        box.text = text
        box.move_cursor(box.document.end)
    await pilot.press("enter")
    await wait_until(pilot, chat_idle(app))


def bubble_texts(app, kind: str) -> list[str]:
    return [b.text for b in app.screen.query(kind)]


def holding_last_line(app) -> bool:
    """The customer ended the chat and their last line is shown with '查看成绩 Enter'."""
    return type(app.screen).__name__ == "ChatScreen" and bool(app.screen.query("#to-scorecard"))


async def to_scorecard(pilot) -> None:
    """After the customer ended the chat (resolved, escalated, left): Enter, then the scorecard."""
    app = pilot.app

    def ready() -> bool:
        if on_screen(app, "ScorecardScreen")():
            return True
        return holding_last_line(app) and app.screen.query_one("#to-scorecard").has_focus

    await wait_until(pilot, ready)
    if holding_last_line(app):
        await pilot.press("enter")
    await wait_until(pilot, on_screen(app, "ScorecardScreen"))


async def end_chat(pilot) -> None:
    """Ctrl+E, confirm with Y, wait for the scorecard."""
    app = pilot.app
    await pilot.press("ctrl+e")
    await wait_until(pilot, on_screen(app, "ConfirmEndScreen"))
    await pilot.press("y")
    await wait_until(pilot, on_screen(app, "ScorecardScreen"))


async def finish_to_scorecard(pilot) -> None:
    """However the chat stands after the last reply: the customer ended it (Enter after the last
    line) or it is still going (Ctrl+E, Y)."""
    app = pilot.app
    if on_screen(app, "ScorecardScreen")():
        return
    if holding_last_line(app) or app.screen._grading:
        await to_scorecard(pilot)
    else:
        await end_chat(pilot)
