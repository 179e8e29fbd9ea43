"""Chinese line breaking (禁则): closing punctuation never starts a line, opening never ends one,
numbers stay with their units; every line fits its width."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from simulator.tui.linebreak import NO_LINE_END, NO_LINE_START, line_spans, min_width, wrap

SENTENCE = "非常抱歉亲，给您添麻烦了。我们补偿您1000元，另外退20%的运费，合计一千零八十元（含运费）。"


@pytest.mark.parametrize("width", range(12, 40))  # from 12: 一千零八十元 is 12 cells
def test_rules_hold_at_every_width(width):
    lines = wrap(SENTENCE, width)
    assert "".join(lines) == SENTENCE
    for line in lines:
        assert cell_len(line) <= width
        assert line[0] not in NO_LINE_START, lines
        assert line[-1] not in NO_LINE_END, lines
    joined = "|".join(lines)
    for unbroken in ("1000元", "20%", "一千零八十元"):
        assert unbroken in joined, lines


def test_closing_punctuation_moves_down_with_the_character_before_it():
    # 10 cells: "给您添麻烦" fills the line, so "了。" goes down together rather than "。" alone.
    assert wrap("给您添麻烦了。", 10) == ["给您添麻烦", "了。"]
    assert wrap("很失望……", 6) == ["很失", "望……"]  # … is one cell
    assert wrap("清关延迟）", 8) == ["清关延", "迟）"]


def test_opening_punctuation_goes_down_with_what_follows():
    assert wrap("您看「这样」好吗", 5) == ["您看", "「这", "样」", "好吗"]
    assert wrap("合计（含运费）", 6) == ["合计", "（含运", "费）"]


def test_numbers_keep_their_units():
    assert wrap("我们补偿您1000元", 11) == ["我们补偿您", "1000元"]
    assert wrap("退您20%运费", 6) == ["退您", "20%运", "费"]
    assert wrap("合计一千零八十元整", 13) == ["合计", "一千零八十元", "整"]
    assert wrap("24小时内发出", 7) == ["24小时", "内发出"]


def test_order_numbers_and_latin_words_are_not_split_when_they_fit():
    assert wrap("订单号KF20261118-2093", 16) == ["订单号", "KF20261118-2093"]
    assert wrap("see the order please", 9) == ["see the", "order", "please"]


def test_a_unit_wider_than_the_line_is_folded():
    assert wrap("KF20261118", 4) == ["KF20", "2611", "18"]


def test_newlines_break_and_indentation_is_kept():
    assert wrap("甲\n\n  “乙”", 20) == ["甲", "", "  “乙”"]
    assert line_spans("ab\ncd", 5) == [(0, 2), (3, 5)]


def test_min_width_is_the_widest_unbreakable_piece():
    assert min_width("合计一千零八十元。") == cell_len("一千零八十元。")


CHARS = st.sampled_from(list("我们的顾客您好麻烦了一千零八十元0123456789%。，、！？）」』》…（「『《“ ab"))


@settings(max_examples=300, deadline=None)
@given(st.text(CHARS, min_size=1, max_size=60), st.integers(min_value=2, max_value=30))
def test_lines_reassemble_the_text_and_fit(text, width):
    spans = line_spans(text, width)
    # Nothing but spaces at the breaks is lost, and the lines are in order.
    rebuilt = "".join(text[s:e] for s, e in spans)
    assert rebuilt.replace(" ", "") == text.replace(" ", "")
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    for s, e in spans:
        assert cell_len(text[s:e]) <= width or e - s == 1


def test_markup_keeps_its_styles_across_the_break():
    from textual.content import Content

    from simulator.tui.widgets.cjk_text import LineBrokenContent

    content = Content.from_markup("合计[b]一千零八十元[/b]。请[$error]注意[/]查收")
    broken, lines = LineBrokenContent(content).broken(14)
    assert broken.plain.split("\n") == wrap(content.plain, 14) == ["合计", "一千零八十元。", "请注意查收"]
    assert lines == 3
    bold = [broken.plain[s.start:s.end] for s in broken.spans if "b" in str(s.style)]
    assert bold == ["一千零八十元"]
    assert str(LineBrokenContent(content)) == content.plain
