"""Seconds since the customer's last message: amber from 20 s, red at the scenario's limit (003 黄金30秒)."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

from simulator.tui.settings import AMBER_SECONDS, DEFAULT_RESPONSE_LIMIT


class ResponseClock(Static):
    """How long the customer has been waiting for the trainee."""

    seconds: reactive[float] = reactive(0.0)
    limit: reactive[float] = reactive(DEFAULT_RESPONSE_LIMIT)
    waiting: reactive[bool] = reactive(True)
    paused: reactive[str] = reactive("")
    """Why the clock is stopped (e.g. 帮助打开中), or "" while it runs."""

    def render(self) -> str:
        if self.paused:
            return f"⏸ 计时已暂停（{self.paused}） {int(self.seconds)} 秒"
        if not self.waiting:
            return "⏱ 顾客在输入…"
        return f"⏱ 等待 {int(self.seconds)} 秒 / 限 {int(self.limit)} 秒"

    def watch_seconds(self) -> None:
        self._recolour()

    def watch_limit(self) -> None:
        self._recolour()

    def watch_waiting(self) -> None:
        self._recolour()

    def watch_paused(self) -> None:
        self._recolour()

    def _recolour(self) -> None:
        self.set_class(bool(self.paused), "-paused")
        late = self.waiting and self.seconds >= self.limit
        self.set_class(late, "-red")
        self.set_class(self.waiting and not late and self.seconds >= min(AMBER_SECONDS, self.limit), "-amber")
