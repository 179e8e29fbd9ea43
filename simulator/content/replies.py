"""The scripted-reply format: one reply a line, optionally "[+45s] " first (seconds the trainee took).

The one parser of that format, used by `kefu run` / `kefu check` (simulator.engine.replay) and by
`kefu lint` for the replies of example conversations, so that what one refuses the other reports.

- Lines are split on "\\n" only: U+2028, U+0085 or a form feed inside a reply are part of it.
- The brackets, plus sign, digits and "s" a Chinese input method types are accepted in the prefix:
  `［+45s］`, `［＋45s］`, `【+45s】`, `〔+45s〕`, `[＋４５ｓ]` mean the same as `[+45s]`.
- Anything that starts like a time prefix but is not one (`[+nans]`, `[+-5s]`, `[45s]`, `[+45秒]`)
  is an error naming the line, never taken as the trainee's words; `[订单] 好的。` is a reply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from simulator.content.vocabulary import MAX_REPLY_SECONDS
from simulator.i18n import _

DEFAULT_SECONDS = 15.0
"""The seconds a reply without a time prefix takes."""

# Full-width ASCII (U+FF01-U+FF5E), the ideographic space and the CJK lenticular/tortoise-shell
# brackets, one character for one, so that positions in the mapped text are positions in the line.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALF_WIDTH.update({0x3000: 0x20, ord("【"): ord("["), ord("】"): ord("]"), ord("〔"): ord("["), ord("〕"): ord("]")})

_PREFIX = re.compile(r"\[\+[ \t]*([0-9]+(?:\.[0-9]+)?)[ \t]*s\][ \t]*")
"""A well-formed prefix (after mapping to half-width); group 1 is the seconds."""
_PREFIX_LIKE = re.compile(r"\[[ \t]*(?:[+\-]|\.?[0-9][0-9.]*[ \t]*(?:s|秒|sec)?[ \t]*\])")
"""What can only be an attempt at a prefix: a sign after the bracket, or a bare number in brackets."""


class ReplyError(ValueError):
    """A scripted reply that cannot be played; `line` is its line number in the replies file, if known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def where(self, source: str) -> str:
        """'source:line: message' (or 'source: message' without a line)."""
        return f"{source}:{self.line}: {self.message}" if self.line is not None else f"{source}: {self.message}"


@dataclass(frozen=True)
class ScriptedReply:
    """A trainee reply and the seconds the trainee took to send it."""

    text: str
    seconds: float = DEFAULT_SECONDS


def _shown_prefix(line: str) -> str:
    end = min((i for i in (line.find(c) for c in "]］】〕") if i >= 0), default=-1)
    if 0 <= end < 24:
        return line[: end + 1]
    return line if len(line) <= 12 else line[:12] + "…"


def parse_reply(line: str, line_number: int | None = None) -> ScriptedReply:
    """'[+45s] 您好…' -> ScriptedReply('您好…', 45.0); no prefix means DEFAULT_SECONDS.

    Raises ReplyError (in Chinese) for a malformed time prefix, one above MAX_REPLY_SECONDS, or a
    prefix with no reply after it.
    """
    line = line.strip()
    mapped = line.translate(_HALF_WIDTH)
    match = _PREFIX.match(mapped)
    if match:
        number = match.group(1)
        shown = number if len(number) <= 12 else number[:12] + "…"
        seconds = float(number)  # a number too long for a float is inf: refused below
        if not seconds <= MAX_REPLY_SECONDS:
            raise ReplyError(
                _("时间前缀 [+{shown}s] 太长：最多 [+{max}s]（24 小时）").format(
                    shown=shown, max=f"{MAX_REPLY_SECONDS:.0f}"), line_number
            )
        text = line[match.end():].strip()
        if not text:
            raise ReplyError(_("时间前缀 [+{shown}s] 后面没有回复内容").format(shown=shown), line_number)
        return ScriptedReply(text, seconds)
    if _PREFIX_LIKE.match(mapped):
        raise ReplyError(
            _("看不懂时间前缀 {prefix}：请写成 [+45s]（回复用了多少秒，写在行首；"
              "全角的 ［＋45ｓ］ 或 【+45s】 也可以）").format(prefix=_shown_prefix(line)),
            line_number,
        )
    return ScriptedReply(line, DEFAULT_SECONDS)


def split_lines(text: str) -> list[str]:
    """The lines of a replies file: split on "\\n" only (a CR before it is stripped with the line)."""
    return text.split("\n")


def parse_replies(lines: Iterable[str] | str) -> list[ScriptedReply]:
    """One reply a line (a str is split with split_lines); blank lines and '#' lines are skipped.

    Raises ReplyError (with the 1-based line number) for a line parse_reply refuses.
    """
    if isinstance(lines, str):
        lines = split_lines(lines)
    out = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        out.append(parse_reply(stripped, number))
    return out
