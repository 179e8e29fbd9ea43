"""Chinese line breaking on screen, at 80×24 and 120×40 (pytest-textual-snapshot).

The bubbles are mounted directly with lines built for the width the layout gives them, so each
one hits a line boundary exactly where plain folding would go wrong (。 starting a line,
一千零八十元 and 20% split, （ ending a line). Neither the engine nor the scorer is involved: the
snapshots change only when the look of the chat does. Update with
`pytest tests/tui/test_tui_cjk_snapshots.py --snapshot-update`, then review the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll

import simulator.tui
from simulator.tui.linebreak import NO_LINE_END, NO_LINE_START, wrap
from simulator.tui.widgets.bubbles import CustomerBubble, MessageRow, SystemNote, TraineeBubble
from simulator.tui.widgets.issue_checklist import IssueChecklist
from simulator.tui.widgets.policy_panel import PolicyPanel

FILLER = "非常抱歉给您添麻烦了这件事是我们没有做好请您放心我们会负责到底"  # no numerals, no punctuation
NAME = "林小姐"


def filler(cells: int) -> str:
    """Chinese characters filling `cells` cells (rounded down to whole characters)."""
    text = (FILLER * 8)[: cells // 2]
    assert cell_len(text) == cells - cells % 2
    return text


def boundary_lines(width: int) -> dict[str, str]:
    """Lines whose plain fold at `width` cells breaks a rule, each at its first line's end."""
    full = width // 2  # Chinese characters on a full line
    digits = "20" if width % 2 == 0 else "120"
    return {
        "period": filler(width) + "。" + filler(10),
        "numerals": filler(width)[: full - 3] + "一千零八十元" + filler(8),
        "percent": filler(width - len(digits)) + digits + "%" + filler(8),
        "bracket": filler(width)[: full - 1] + "（含运费）" + filler(6),
    }


def plain_fold(text: str, width: int) -> list[str]:
    """What Textual does with text that has no spaces: cut at the last cell that fits."""
    lines, line = [], ""
    for char in text:
        if cell_len(line + char) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line]


class BubbleBoard(App):
    """The chat's transcript and sidebar, styled by the practice room's own stylesheet."""

    CSS_PATH = str(Path(simulator.tui.__file__).parent / "kefu.tcss")

    def __init__(self, scenario) -> None:
        super().__init__()
        self.scenario = scenario
        self.bubble_width = 0

    def compose(self) -> ComposeResult:
        with Horizontal(id="chat-main"):
            with Vertical(id="chat-left"):
                yield VerticalScroll(id="transcript")
            with VerticalScroll(id="sidebar"):
                yield IssueChecklist([(i.id, i.summary) for i in self.scenario.issues], id="issues")
                yield PolicyPanel(self.scenario.policy, self.scenario.customer_pronoun, id="policy")

    async def show_boundaries(self) -> dict[str, CustomerBubble]:
        """Measure a bubble's text width, then mount one bubble per rule at that width."""
        transcript = self.query_one("#transcript")
        probe = CustomerBubble(filler(400), NAME)
        await transcript.mount(MessageRow(probe))
        await self.workers.wait_for_complete()
        self.bubble_width = width = probe.content_region.width
        await transcript.remove_children()
        bubbles = {}
        for key, text in boundary_lines(width).items():
            bubble = CustomerBubble(text, NAME)
            bubbles[key] = bubble
            await transcript.mount(MessageRow(bubble))
        await transcript.mount(MessageRow(TraineeBubble("好的，补偿您1000元，另退20%运费。", "我")))
        await transcript.mount(MessageRow(SystemNote(f"{NAME}离开了对话")))
        return bubbles


@pytest.fixture
def wig(library):
    return library.scenarios["wig-wrong-color"]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_bubbles_break_by_the_rules(size, wig):
    app = BubbleBoard(wig)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        bubbles = await app.show_boundaries()
        await pilot.pause()
        width = app.bubble_width
        assert width >= 20
        for key, bubble in bubbles.items():
            naive = plain_fold(bubble.text, width)
            ours = wrap(bubble.text, width)
            assert bubble.content_region.height == len(ours)  # the widget uses these lines
            shown = [s.text.strip("│ ") for s in bubble.render_lines(bubble.region.reset_offset)[1:-1]]
            assert shown == ours, key
            joined = "|".join(ours)
            assert not any(line[0] in NO_LINE_START for line in ours[1:]), key
            assert not any(line[-1] in NO_LINE_END for line in ours), key
            naive_joined = "|".join(naive)
            if key == "period":
                assert naive[1].startswith("。") and not ours[1].startswith("。")
            elif key == "numerals":
                assert "一千零八十元" not in naive_joined and "一千零八十元" in joined
            elif key == "percent":
                assert naive[1].startswith("%") and "%" not in ours[1][:1]
            else:
                assert naive[0].endswith("（") and ours[1].startswith("（")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_cjk_line_breaking_snapshot(snap_compare, size, wig):
    async def run_before(pilot) -> None:
        await pilot.pause()
        await pilot.app.show_boundaries()
        await pilot.pause()

    assert snap_compare(BubbleBoard(wig), terminal_size=size, run_before=run_before)
