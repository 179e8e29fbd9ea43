"""Chinese text as shown on screen."""

from __future__ import annotations

import re

# A space between two Chinese characters is an artefact of YAML line folding, not meant to be seen
# (and Textual would break the line there).
_CJK = r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]"
_CJK_GAP = re.compile(rf"(?<={_CJK})[ \t]+(?={_CJK})")


def display_text(text: str) -> str:
    """The text as shown in a bubble: spaces between Chinese characters removed."""
    return _CJK_GAP.sub("", text)
