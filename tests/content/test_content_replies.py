"""The scripted-reply format (simulator.content.replies): the one parser of run, check and lint."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator.content.replies import DEFAULT_SECONDS, ReplyError, ScriptedReply, parse_replies, parse_reply


@pytest.mark.parametrize(
    "line,expected",
    [
        ("[+45s] 您好", ScriptedReply("您好", 45)),
        ("[+ 2.5 s]您好", ScriptedReply("您好", 2.5)),
        ("［+45s］ 您好", ScriptedReply("您好", 45)),
        ("［＋45s］ 您好", ScriptedReply("您好", 45)),
        ("【+45s】 您好", ScriptedReply("您好", 45)),
        ("〔+45s〕您好", ScriptedReply("您好", 45)),
        ("［＋４５．５ｓ］\u3000您好", ScriptedReply("您好", 45.5)),
        ("[订单] 好的。", ScriptedReply("[订单] 好的。", DEFAULT_SECONDS)),
        ("【重要】请您放心", ScriptedReply("【重要】请您放心", DEFAULT_SECONDS)),
        ("[1号仓] 已发货", ScriptedReply("[1号仓] 已发货", DEFAULT_SECONDS)),
        ("您好［＋45s］", ScriptedReply("您好［＋45s］", DEFAULT_SECONDS)),  # only at the start
    ],
)
def test_time_prefixes_half_and_full_width(line, expected):
    assert parse_reply(line) == expected


def test_full_width_characters_in_the_reply_itself_are_kept():
    assert parse_reply("［＋45ｓ］ ＡＢＣ，您好！").text == "ＡＢＣ，您好！"


@pytest.mark.parametrize("line", ["[+nans] 你好", "[+inf s] 你好", "[+-5s] 你好", "[45s] 你好", "[+45秒] 你好",
                                  "【45s】 你好", "[+45S] 你好", "[ +45s ] 你好", "[+45 你好", "[+] 你好", "［－５ｓ］ 你好"])
def test_near_misses_are_chinese_errors_with_the_line(line):
    with pytest.raises(ReplyError) as info:
        parse_replies(["您好", line])
    assert info.value.line == 2
    assert info.value.message.startswith("看不懂时间前缀 ") and "请写成 [+45s]" in info.value.message
    assert info.value.where("r.txt").startswith("r.txt:2: 看不懂时间前缀")


def test_too_long_and_empty_are_errors():
    with pytest.raises(ReplyError, match=r"时间前缀 \[\+86401s\] 太长：最多 \[\+86400s\]"):
        parse_reply("[+86401s] 你好")
    with pytest.raises(ReplyError, match=r"时间前缀 \[\+45s\] 后面没有回复内容"):
        parse_reply("【+45s】\u3000")


def test_lines_split_on_newline_only():
    text = "一\u2028二\n三\u0085四\r\n五\x0c六\x1c七\n\n# 注释\n八\r九"
    assert [r.text for r in parse_replies(text)] == ["一\u2028二", "三\u0085四", "五\x0c六\x1c七", "八\r九"]


@given(st.text())
def test_any_line_is_a_reply_or_a_reply_error(line):
    try:
        reply = parse_reply(line)
    except ReplyError as exc:
        assert exc.message
    else:
        assert 0 <= reply.seconds <= 86400 and reply.text == reply.text.strip()
