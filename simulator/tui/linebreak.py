"""Chinese line breaking (禁则) for text on screen, measured in terminal cells.

Textual breaks lines only at spaces and folds anything longer at the last cell, so Chinese text ends
up with 。 at a line start and 补偿您100 / 0元 across two lines. Libraries implementing Unicode's
line-breaking algorithm (UAX #14: uniseg, PyICU) still allow a break between a number and the
Chinese unit after it (1000 / 元) and inside Chinese numerals (一千零 / 八十元), and PyICU needs a C
build; so this is a small rule set after GB/T 15834 (标点符号用法) and the usual 避头尾 rules:

1. Closing punctuation (。，、；：？！）」』》…% and the like) never starts a line: it stays with
   the text before it.
2. Opening punctuation (（「『《“ and currency signs ¥ $) never ends a line: it goes with the text
   after it.
3. A number stays with its unit: an Arabic number (1000, 1.8, 20%) with the Chinese character after
   it (元, 米, 天; two characters for units like 小时 and 分钟); a run of Chinese numerals
   (一千零八十) with the unit after it; 第 with the number after it.
4. ——, …… and runs of letters and digits (order numbers, English words) are never split.
5. Elsewhere a line may break between any two Chinese characters and at spaces; spaces at a break
   are dropped. A unit wider than the whole line is folded at the last cell that fits.

`line_spans(text, width)` gives the (start, end) of every line in `text`; `wrap(text, width)` the lines.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rich.cells import cell_len, get_character_cell_size

NO_LINE_START = frozenset(
    "。．，、；：？！）］｝〕〉》」』】〗〙〛’”…‥～·・%％‰℃°′″"
    ".,;:?!)]}"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー々ゝゞヽヾ"
)
"""Closing punctuation: never at the start of a line (避头)."""
NO_LINE_END = frozenset("（［｛〔〈《「『【〖〘〚‘“([{¥￥$£€")
"""Opening punctuation and currency signs: never at the end of a line (避尾)."""
UNSPLIT_RUNS = frozenset("—…‥")
"""Marks written doubled (——, ……) that are never split."""
CHINESE_NUMERALS = frozenset("零〇一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟")
TWO_CHARACTER_UNITS = frozenset(
    "小时 分钟 公斤 千克 厘米 毫米 公里 平米 个月 周年 毫升 公分 星期 块钱 多元 多块".split()
)
"""Units written with two characters; one-character units (元, 天, 米, 个) are any Han character."""
ONE_CHARACTER_UNITS = frozenset(
    "元块角分毛折倍岁天日号月年周秒时点晚次件个只双条张瓶罐盒包套台份单位人米斤克吨升度层楼万亿千百寸码种步句字页款顶杯"
)
"""Units after a Chinese numeral (一千零八十元, 三天); after Arabic digits any Han character counts."""


@dataclass
class _Unit:
    """A piece of text no line break may fall inside."""

    start: int
    end: int
    space: bool = False
    glue_next: bool = False  # the next unit must stay on the same line


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or "\U00020000" <= char <= "\U0003134f"


def _is_word_char(char: str) -> bool:
    """Letters, digits and joiners of a Latin word or an order number (KF20261118-2093, 1.8)."""
    if char.isspace() or char in NO_LINE_START or char in NO_LINE_END:
        return False
    if char.isascii():
        return char.isalnum() or char in "_-+/@#&*=<>^|\\~`'\""
    if "\uff10" <= char <= "\uff19":  # full-width digits
        return True
    return unicodedata.category(char)[0] in "LN" and unicodedata.east_asian_width(char) in "NaH"


def _is_digit(char: str) -> bool:
    return char.isdigit() or "\uff10" <= char <= "\uff19"


def _atoms(text: str, start: int, end: int) -> list[_Unit]:
    """One paragraph (no newline) as atoms, each marked when it must stay with its neighbours."""
    atoms: list[_Unit] = []
    i = start
    glue_previous: list[bool] = []
    while i < end:
        char = text[i]
        j = i + 1
        glue_prev = False
        glue_next = False
        if char.isspace():
            while j < end and text[j].isspace():
                j += 1
            atoms.append(_Unit(i, j, space=True))
            glue_previous.append(False)
            i = j
            continue
        if _is_word_char(char):
            while j < end and (_is_word_char(text[j]) or (text[j] in ".,:" and j + 1 < end and _is_digit(text[j + 1])
                                                          and _is_digit(text[j - 1]))):
                j += 1
            if all(_is_digit(c) or c in ".,:" for c in text[i:j]) and j < end and _is_han(text[j]):
                # Rule 3: the number takes its unit along (1000元, 24小时).
                j += 2 if text[j:j + 2] in TWO_CHARACTER_UNITS else 1
        elif char in CHINESE_NUMERALS:
            while j < end and text[j] in CHINESE_NUMERALS:
                j += 1
            if j < end and text[j:j + 2] in TWO_CHARACTER_UNITS:
                j += 2
            elif j < end and text[j] in ONE_CHARACTER_UNITS:
                j += 1
        elif char in UNSPLIT_RUNS:
            while j < end and text[j] == char:
                j += 1
            glue_prev = char in NO_LINE_START
        elif char in NO_LINE_START:
            glue_prev = True
        elif char in NO_LINE_END:
            glue_next = True
        elif char == "第" and j < end and (_is_digit(text[j]) or text[j] in CHINESE_NUMERALS):
            glue_next = True
        atoms.append(_Unit(i, j, glue_next=glue_next))
        glue_previous.append(glue_prev)
        i = j
    units: list[_Unit] = []
    for atom, glue_prev in zip(atoms, glue_previous):
        if units and (glue_prev or units[-1].glue_next):
            last = units[-1]
            last.end, last.space, last.glue_next = atom.end, False, atom.glue_next
        else:
            units.append(atom)
    return units


def _fold(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """A unit wider than the line, cut at the last cell that fits (as Textual would)."""
    pieces: list[tuple[int, int]] = []
    piece_start, used = start, 0
    for i in range(start, end):
        cells = get_character_cell_size(text[i])
        if used + cells > width and i > piece_start:
            pieces.append((piece_start, i))
            piece_start, used = i, 0
        used += cells
    pieces.append((piece_start, end))
    return pieces


def _paragraph_spans(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    line_start: int | None = None
    line_end = start
    used = 0  # cells of the line up to line_end
    spaces = 0  # cells of spaces after line_end (dropped if the line breaks there)
    for n, unit in enumerate(_atoms(text, start, end)):
        cells = cell_len(text[unit.start:unit.end])
        if unit.space and n > 0:
            spaces += cells
            continue
        if line_start is not None and used + spaces + cells > width:
            lines.append((line_start, line_end))
            line_start, used, spaces = None, 0, 0
        if line_start is None and cells > width:
            *full, (last_start, last_end) = _fold(text, unit.start, unit.end, width)
            lines.extend(full)
            line_start, line_end, used = last_start, last_end, cell_len(text[last_start:last_end])
            continue
        if line_start is None:
            line_start = unit.start
        used += spaces + cells
        spaces = 0
        line_end = unit.end
    lines.append((start, start) if line_start is None else (line_start, line_end))
    return lines


def line_spans(text: str, width: int) -> list[tuple[int, int]]:
    """(start, end) offsets into `text` of each line when it is broken to `width` cells.

    Newlines in the text always break; spaces where a line breaks are left out of both lines.
    """
    width = max(1, width)
    spans: list[tuple[int, int]] = []
    start = 0
    for paragraph in text.split("\n"):
        end = start + len(paragraph)
        spans.extend(_paragraph_spans(text, start, end, width))
        start = end + 1
    return spans


def wrap(text: str, width: int) -> list[str]:
    """The lines of `text` broken to `width` cells by the rules above."""
    return [text[s:e] for s, e in line_spans(text, width)]


def min_width(text: str) -> int:
    """Cells of the widest piece that no line break may fall inside."""
    widest = 0
    start = 0
    for paragraph in text.split("\n"):
        end = start + len(paragraph)
        for unit in _atoms(text, start, end):
            if not unit.space:
                widest = max(widest, cell_len(text[unit.start:unit.end]))
        start = end + 1
    return widest
