"""Text that came from a trainee, a trainer or a bundle, made safe for where it is shown or saved.

One module for every output (issue 20 §1):

- `terminal(text)`: for a terminal (plain prints, Textual widgets). Control characters — ESC and
  the rest of C0, DEL, C1 (CSI, OSC, …) — and the invisible bidirectional overrides are made
  visible (␛, ␇, <U+009B>, …) so nothing a trainee typed can move the cursor, clear the screen,
  retitle the window or fill the clipboard (OSC 52). Newlines stay unless `one_line`.
- `markup(text)`: `terminal()` plus Rich markup escaped, for any widget or notification that
  parses markup (a name such as `[/]` must never crash the desk). Prefer `rich_text()`.
- `rich_text(text, style)`: a `rich.text.Text` holding `terminal(text)` — never parsed as markup.
- `html(text)`: HTML-escaped (quotes too), control characters made visible.
- `csv_cell(value)`: a spreadsheet cell that Excel/WPS will not run as a formula (OWASP CSV
  injection: a cell starting with = + - @ tab or CR is prefixed with a single quote).
"""

from __future__ import annotations

import html as _html
import re
from typing import Any

# C0 except tab/newline, DEL, C1; bidi embeddings/overrides/isolates; line/paragraph separators.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\u200e\u200f\u061c]")
_UNSAFE_ONE_LINE = re.compile(r"[\x00-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\u200e\u200f\u061c]")
CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet cell starting with one of these is a formula to Excel, WPS and LibreOffice (OWASP)."""


def _visible(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ␛ ␇ ␍ …
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def terminal(value: Any, *, one_line: bool = False) -> str:
    """The text with every control character made visible (newlines and tabs kept unless one_line)."""
    text = _text(value)
    return (_UNSAFE_ONE_LINE if one_line else _UNSAFE).sub(_visible, text)


def markup(value: Any, *, one_line: bool = False) -> str:
    """`terminal()` with Rich/Textual markup escaped: safe inside a markup string."""
    from rich.markup import escape

    return escape(terminal(value, one_line=one_line))


def rich_text(value: Any, style: str = "", *, one_line: bool = False):
    """A Rich Text of the safe text (Text is never parsed as markup)."""
    from rich.text import Text

    return Text(terminal(value, one_line=one_line), style=style)


_HTML_SPECIAL = re.compile(r"[&<>\"']")


def html(value: Any) -> str:
    """HTML-escaped text (quotes too, so it is safe in attributes) with control characters visible."""
    if isinstance(value, int):  # numbers (scores, counts) need nothing: the report has many
        return str(value)
    text = terminal(value)
    return _html.escape(text, quote=True) if _HTML_SPECIAL.search(text) else text


_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\u200e\u200f\u061c]")


def json_text(dumped: str) -> str:
    """JSON text (json.dumps, ensure_ascii=False) with the characters json leaves raw but a terminal
    would act on (DEL, C1, bidi overrides) written as \\u escapes: the same data, harmless to print."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def csv_cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: a leading = + - @ tab or CR gets a ' in front (OWASP)."""
    text = _text(value)
    if text.startswith(CSV_TRIGGERS):
        return "'" + text
    return text
