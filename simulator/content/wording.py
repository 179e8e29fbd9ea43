"""Small phrases shared by the content checks' messages: 'did you mean', a list of choices."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from simulator.i18n import _


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """'；是不是想写“x”？' for the closest choice, or '' when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return _("；是不是想写“{name}”？").format(name=close[0]) if close else ""


def one_of(choices: Iterable[str]) -> str:
    """The choices joined for a message, or '（无）'."""
    return _("、").join(choices) or _("（无）")
