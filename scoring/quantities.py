"""Numbers, money and time frames in normalised reply text (a pipeline stage of scoring.analyzer).

Time frames become hours when they can be computed without a calendar: 24小时内 -> 24,
3天内 -> 72, 两个工作日 -> 48, 明天 -> 24, 后天 -> 48, 半小时 -> 0.5, 今天 -> 24 (an upper
bound). Dates (5月3日前) and vague spans (几天) keep ``hours=None``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = ["Found", "NUM", "parse_number", "find_time_frames", "find_amounts", "find_percents", "find_full",
           "TIME_RE", "AMOUNT_RE", "PERCENT_RE", "FULL_RE", "TOTAL_BEFORE", "TOTAL_AMOUNT"]

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_CN = "零〇一二两三四五六七八九十百千万"
NUM = rf"(?:[0-9]+(?:\.[0-9]+)?|[{_CN}]+)"


def parse_number(s: str) -> float | None:
    """'24' -> 24, '二十四' -> 24, '两' -> 2, '十' -> 10; None if unparsable or not finite."""
    try:
        value = float(s)
    except ValueError:
        pass
    else:
        return value if math.isfinite(value) else None  # "999…9" overflows to inf: not an amount
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit == 10000:
                total += (section + (digit or 0)) * unit
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    return float(total + section + (digit or 0))


_UNIT_HOURS = {"分钟": 1 / 60, "小时": 1, "钟头": 1, "个钟": 1, "工作日": 24, "工作天": 24, "天": 24, "日": 24,
               "星期": 168, "周": 168, "礼拜": 168, "月": 720}

TIME_RE = re.compile(
    # one typed space either side of a number (Taiwan writers: 12 月 2 日, 2 天內) reads as none
    rf"(?P<date>(?:[0-9]+|[{_CN}]+|x+) ?月 ?(?:[0-9]+|[{_CN}]+|x+) ?[日号](?:之前|以前|前)?)"
    rf"|(?P<span>(?P<n>{NUM}|半|几) ?(?:个)?(?:半)?(?P<unit>分钟|小时|钟头|个钟|工作日|工作天|天|日|星期|周|礼拜|月)(?:之内|以内|内)?)"
    r"|(?P<clock>(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})点(?:半|[0-9]{1,2}分)?(?:之前|以前|前))"
    r"|(?P<weekday>(?:这|本|下)?(?:周|星期|礼拜)[一二三四五六日天1-7])(?:之前|以前|前|中午|下午|上午|晚上)?"
    r"|(?P<word>大后天|后天|明天|明日|今天|今日|今晚|当天|本周|这周|周末)(?:之内|以内|内|中午|下午|上午|晚上|前|之前)?"
)
AMOUNT_RE = re.compile(
    rf"(?P<n>{NUM})\s*(?:元|块钱|块|rmb|人民币)|[¥]\s*(?P<n2>[0-9]+(?:\.[0-9]+)?)"
    # a bare figure refunded, typed without a unit (系统退的是291, 只退291): money, unless a unit says otherwise
    r"|退(?:的是|您|你|给您|给你)?(?P<n3>[0-9]+(?:\.[0-9]+)?)(?![0-9.]|\s*(?:天|小时|分钟|个|件|号|月|日|%|折|米|cm|公分|斤|克|箱|次|年|单|份|台|瓶|盒|套|码|位|人))"
)
PERCENT_RE = re.compile(rf"(?P<n>[0-9]+(?:\.[0-9]+)?)\s*%|百分之(?P<n2>{NUM})|(?P<half>一半|半价)")
FULL_RE = re.compile(r"全额|全款|全部(货款|款项|费用|退|赔)|全退|退全")
# 给您补200，一共1000块: the sum of what a reply offers, named after its parts (TOTAL_BEFORE ends right before the amount;
# TOTAL_AMOUNT finds a total with its number anywhere).
_TOTAL = r"(?:一共|总共|合计|共计|加起来|总计)(?:是|给您|补您|赔您)?"
TOTAL_BEFORE = re.compile(_TOTAL + "$")
TOTAL_AMOUNT = re.compile(_TOTAL + rf"[0-9{_CN}]")

_WORD_HOURS = {"明天": 24, "明日": 24, "后天": 48, "大后天": 72, "今天": 24, "今日": 24, "今晚": 12,
               "当天": 24, "本周": 168, "这周": 168}


@dataclass(frozen=True)
class Found:
    """A value found at [start, end) in the normalised text."""

    start: int
    end: int
    value: float | None
    text: str


# Every alternative of TIME_RE needs one of these characters (月 / 分钟 小时 钟头 / 日 天 / 星期 周 礼拜 / 点 / 今晚):
# a text with none of them has no time frame, and the one-character-class scan is far cheaper than TIME_RE's.
_TIME_CHAR = re.compile(r"[月钟时日天期周拜点晚]")


def find_time_frames(text: str) -> list[Found]:
    """Every time frame, with its hours when computable."""
    out: list[Found] = []
    if not _TIME_CHAR.search(text):
        return out
    for m in TIME_RE.finditer(text):
        hours = None
        if m.group("span"):
            n = m.group("n")
            count = 0.5 if n == "半" else (None if n == "几" else parse_number(n))
            if count is not None:
                if "半" in m.group("span")[len(n):]:  # 一个半小时
                    count += 0.5
                hours = count * _UNIT_HOURS[m.group("unit")]
        elif m.group("word"):
            hours = _WORD_HOURS.get(m.group("word"))
        out.append(Found(m.start(), m.end(), hours, m.group(0)))
    return out


# The characters every match of AMOUNT_RE (元 块 rmb 人民币 ¥, 退 before a bare figure) and of PERCENT_RE (% 百分之 一半 半价) needs one of.
_AMOUNT_CHAR = re.compile(r"[元块r人¥退]")
_PERCENT_CHAR = re.compile(r"[%百半]")


def find_amounts(text: str) -> list[Found]:
    """Every money amount in yuan."""
    if not _AMOUNT_CHAR.search(text):
        return []
    return [Found(m.start(), m.end(), parse_number(m.group("n") or m.group("n2") or m.group("n3")), m.group(0))
            for m in AMOUNT_RE.finditer(text)]


def find_percents(text: str) -> list[Found]:
    """Every percentage (退50%, 百分之三十)."""
    if not _PERCENT_CHAR.search(text):
        return []
    return [Found(m.start(), m.end(), 50.0 if m.group("half") else parse_number(m.group("n") or m.group("n2")),
                  m.group(0)) for m in PERCENT_RE.finditer(text)]


def find_full(text: str) -> list[Found]:
    """Every 'full amount' marker (全额, 全款)."""
    return [Found(m.start(), m.end(), None, m.group(0)) for m in FULL_RE.finditer(text)]
