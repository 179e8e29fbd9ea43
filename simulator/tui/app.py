"""The practice room app. `make_app(content, settings)` builds it for the CLI, the tests and snapshots."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from simulator.tui.palette import PALETTE_BINDING, ChinesePalette
from simulator.tui.settings import Settings

THEMES = ("textual-dark", "textual-light")
WARM_UP_FALLBACK_SECONDS = 2.0


class KefuApp(ChinesePalette, App):
    """客服练习室: home -> chat -> scorecard, with help and quick replies as modal screens."""

    CSS_PATH = "kefu.tcss"
    TITLE = "客服练习室"
    BINDINGS = [
        Binding("f1,question_mark", "help", "帮助", show=False),
        # Shown in every screen's footer: a trainee must see how to leave without opening help.
        Binding("ctrl+q", "quit", "退出", priority=True),
        Binding("ctrl+c", "ctrl_c", "退出", show=False, priority=True),
        PALETTE_BINDING,
    ]
    QUIT_CONFIRM_SECONDS = 5.0
    """A second Ctrl+C within this many seconds of the first quits."""

    @dataclass
    class WarmedUp(Message):
        """The scorer (jieba + lexicons) is loaded; error is '' on success."""

        seconds: float
        error: str = ""

    def __init__(self, library, settings: Settings, scenario_id: str | None = None,
                 started_at: float | None = None) -> None:
        super().__init__()
        self.library = library
        self.settings = settings
        self.initial_scenario = scenario_id
        self.started_at = time.perf_counter() if started_at is None else started_at
        self.first_line_at: float | None = None
        """Seconds from started_at until the first customer line was on screen."""
        self.timings: dict[str, float] = {}
        """Seconds from started_at to each start-up step (mark()), for bench/bench_tui_start.py."""
        self.warm_up_seconds: float | None = None
        self._warm_up_started = False
        self._quit_armed = False

    @property
    def cursor_blink(self) -> bool:
        return self.settings.cursor_blink

    def mark(self, step: str) -> None:
        """Remember when a start-up step was reached (the first time only)."""
        self.timings.setdefault(step, time.perf_counter() - self.started_at)

    def on_mount(self) -> None:
        self.mark("app mounted")
        self.theme = THEMES[0]
        if not self.settings.animations:
            self.animation_level = "none"
        if self.initial_scenario is None:
            from simulator.tui.screens.home import HomeScreen  # not imported when starting in a chat

            self.push_screen(HomeScreen())
            self.start_warm_up()
        else:
            # Straight to the chat; the home screen is built only when the trainee goes back to it.
            # jieba's load holds the GIL for about a second: it starts once the first line is shown
            # (note_first_line), with a timer as a safety net if the chat never opens.
            self.start_chat(self.initial_scenario)
            self.set_timer(WARM_UP_FALLBACK_SECONDS, self.start_warm_up)

    # ---- scorer warm-up while the customer speaks ------------------------------------------

    def start_warm_up(self) -> None:
        """Load the scorer (jieba, lexicons) in a worker thread, once."""
        if not self._warm_up_started:
            self._warm_up_started = True
            self._warm_up()

    @work(thread=True, exclusive=True, exit_on_error=False, group="warm-up")
    def _warm_up(self) -> None:
        start = time.perf_counter()
        try:
            from scoring import warm_up

            warm_up()
        except Exception as error:  # noqa: BLE001 - the first reply will load it again and report
            self.post_message(self.WarmedUp(time.perf_counter() - start, f"{type(error).__name__}: {error}"))
            return
        self.post_message(self.WarmedUp(time.perf_counter() - start))

    @on(WarmedUp)
    def _warmed_up(self, event: WarmedUp) -> None:
        self.warm_up_seconds = event.seconds
        self.log(f"scorer warm-up {event.seconds:.2f}s {event.error}")
        if event.error:
            self.notify(f"评分器加载失败：{event.error}", severity="error")

    # ---- conversations ---------------------------------------------------------------------

    def persona_of(self, scenario):
        return self.library.personas[scenario.persona]

    def new_session(self, scenario, persona, seed: int, clock=None):
        """A fresh engine Session on `clock` (default: settings.clock, else a SystemClock);
        called from a worker thread (building it may take a moment)."""
        factory = self.settings.session_factory
        extra = {}
        if factory is None:
            from simulator.engine import Session

            factory = Session
            # The palette's phrases, pasted as they are, read as canned (003 禁区6).
            extra["quick_replies"] = [q.text for q in self.library.quick_replies]
        clock = clock if clock is not None else self.settings.clock
        if clock is None:
            from simulator.engine import SystemClock

            clock = SystemClock()
        return factory(scenario, persona, seed=seed, clock=clock, **extra)

    def start_chat(self, scenario_id: str, seed: int | None = None, replace: bool = False) -> None:
        """Open the chat with scenario_id (on top of home, or instead of the current screen)."""
        from simulator.tui.screens.chat import ChatScreen

        scenario = self.library.scenarios.get(scenario_id)
        if scenario is None:
            self.notify(f"没有这个场景：{scenario_id}", severity="error")
            return
        screen = ChatScreen(scenario, self.persona_of(scenario), self.settings.pick_seed() if seed is None else seed)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def go_home(self) -> None:
        """Back to the scenario list (built now if the app started straight in a chat)."""
        from simulator.tui.screens.home import HomeScreen

        if any(isinstance(s, HomeScreen) for s in self.screen_stack):
            while not isinstance(self.screen, HomeScreen):
                self.pop_screen()
        else:
            self.switch_screen(HomeScreen())

    def next_scenario_id(self, scenario_id: str) -> str:
        ids = list(self.library.scenarios)
        return ids[(ids.index(scenario_id) + 1) % len(ids)] if scenario_id in ids else ids[0]

    def note_first_line(self) -> None:
        """Called when a customer bubble is mounted: keeps the time to the first line."""
        if self.first_line_at is None:
            self.first_line_at = time.perf_counter() - self.started_at
            self.mark("first line mounted")
            self.log(f"first customer line after {self.first_line_at:.3f}s")
            self.start_warm_up()

    # ---- commands --------------------------------------------------------------------------

    def action_help(self) -> None:
        from simulator.tui.screens.help import HelpScreen

        chat = self._chat()
        if chat is not None:
            chat.action_help()  # the chat stops its clock first (practice mode)
        elif not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(exam=self.settings.exam))

    def action_ctrl_c(self) -> None:
        """Ctrl+C asks first (an unsaved conversation would be lost); a second Ctrl+C quits."""
        if self._quit_armed:
            self.exit()
            return
        self._quit_armed = True
        self.notify("再按一次 Ctrl+C 退出（或按 Ctrl+Q）。", title="要退出吗？", timeout=self.QUIT_CONFIRM_SECONDS)
        self.set_timer(self.QUIT_CONFIRM_SECONDS, self._disarm_quit)

    def _disarm_quit(self) -> None:
        self._quit_armed = False

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]

    def _chat(self):
        from simulator.tui.screens.chat import ChatScreen

        return self.screen if isinstance(self.screen, ChatScreen) else None

    def _run_on_chat(self, action: str) -> None:
        chat = self._chat()
        if chat is None:
            self.notify("只有在聊天时才能用。", severity="warning")
            return
        getattr(chat, f"action_{action}")()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("帮助", "按键和投诉处理五步", self.action_help)
        yield SystemCommand("切换主题（深色/浅色）", "textual-dark / textual-light", self.action_toggle_theme)
        yield SystemCommand("开关辅导", "练习模式下每句回复后的点评", lambda: self._run_on_chat("toggle_coaching"))
        yield SystemCommand("快捷回复", "插入一句快捷回复（会被计数）", lambda: self._run_on_chat("quick_replies"))
        yield SystemCommand("结束对话", "结束并查看成绩", lambda: self._run_on_chat("end_conversation"))
        yield from self.base_system_commands(screen)


def make_app(content, settings: Settings | None = None, scenario_id: str | None = None,
             started_at: float | None = None) -> KefuApp:
    """Build the app from a content Library (simulator.content.library) and Settings."""
    return KefuApp(content, settings or Settings(), scenario_id=scenario_id, started_at=started_at)
