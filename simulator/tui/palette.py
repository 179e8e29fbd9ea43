"""The command palette in Chinese: its key, its footer label, its search field and its system commands.

Textual's own palette speaks English ("Search for commands…", "Maximize", "Screenshot", "Quit the
application…", ``^p palette`` in every footer). Every kefu app mixes this in instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

PALETTE_BINDING = Binding("ctrl+p", "command_palette", "命令", show=False, priority=True,
                          tooltip="打开命令面板")
"""Declared by the app, so Textual does not add its own English "palette" binding."""


class ChinesePalette:
    """Mixin for a Textual App: a Chinese command palette with only the commands a user needs."""

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder="搜索命令…"))

    def base_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's general commands, in Chinese (theme, keys, screenshot, quit)."""
        yield SystemCommand("配色主题", "换一套界面颜色", self.action_change_theme)
        if screen.query("HelpPanel"):
            yield SystemCommand("隐藏按键一览", "关掉右侧的按键说明", self.action_hide_help_panel)
        else:
            yield SystemCommand("按键一览", "在右侧列出当前可用的按键", self.action_show_help_panel)
        yield SystemCommand("截图", "把当前画面存成 SVG 图片（在当前文件夹）", lambda: self.action_screenshot())
        yield SystemCommand("退出", "离开程序", self.action_quit)
