"""Static text broken into lines by the Chinese rules of simulator.tui.linebreak, not at spaces only."""

from __future__ import annotations

from textual.content import Content
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import Static

from simulator.tui.linebreak import line_spans, min_width


class LineBrokenContent(Visual):
    """A Content shown with 禁则 line breaks: the lines are cut here, so Textual never re-wraps them."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self._broken: tuple[int, Content, int] | None = None  # (width, broken content, line count)

    def __str__(self) -> str:
        """The text, unbroken (what `str(widget.render())` gives for a plain Static too)."""
        return str(self.content)

    def broken(self, width: int) -> tuple[Content, int]:
        """The content with a newline at every break for `width` cells, and its number of lines."""
        if self._broken is None or self._broken[0] != width:
            spans = line_spans(self.content.plain, width)
            lines = [self.content[start:end] for start, end in spans]
            self._broken = (width, Content("\n").join(lines), len(lines))
        return self._broken[1], self._broken[2]

    def get_optimal_width(self, rules, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules) -> int:
        return min_width(self.content.plain)

    def get_height(self, rules, width: int) -> int:
        return self.broken(width)[1] if width > 0 else 0

    def render_strips(self, width: int, height: int | None, style: Style,
                      options: RenderOptions) -> list[Strip]:
        if not width:
            return []
        return self.broken(width)[0].render_strips(width, height, style, options)


class CJKStatic(Static):
    """A Static whose text (markup or plain) breaks by the Chinese line-breaking rules."""

    _line_broken: LineBrokenContent | None = None
    _line_broken_of: object = None

    def render(self):
        visual = self.visual
        if not isinstance(visual, Content):
            return visual  # a Rich renderable: left to Textual
        if self._line_broken_of is not visual:
            self._line_broken, self._line_broken_of = LineBrokenContent(visual), visual
        return self._line_broken
