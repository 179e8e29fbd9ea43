"""Translation of user-facing text (gettext): Chinese first, English for developers.

Messages are written in Chinese in the source and marked with `_()` (or `N_()` for text kept in a
constant and translated where it is shown). Chinese needs no catalog: a missing or unused catalog
gives the Chinese msgid. English comes from the message catalog `locale/en/LC_MESSAGES/<domain>.mo`
(compiled from the `.po` next to it; regenerate with `python -m tools.i18n`, see docs/engine.md).

The language is `$KEFU_LANG` when set (`zh` or `en`; `kefu --lang` sets it), else the first of
`$LANGUAGE`, `$LC_ALL`, `$LC_MESSAGES`, `$LANG` that is set: English when it starts with `en`,
Chinese otherwise (C, POSIX, zh_CN, …).

This module imports nothing from `simulator` (scoring must not); `simulator.i18n` builds on it.
"""

from __future__ import annotations

import gettext
import os
from functools import lru_cache
from pathlib import Path
from typing import Callable

LANG_ENV = "KEFU_LANG"
LANGUAGES = ("zh", "en")

_LOCALE_ENV_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def current_language() -> str:
    """'zh' or 'en', from $KEFU_LANG, then the usual locale variables (Chinese unless English is asked)."""
    explicit = os.environ.get(LANG_ENV, "").strip().lower()
    if explicit:
        return "en" if explicit.startswith("en") else "zh"
    for var in _LOCALE_ENV_VARS:
        value = os.environ.get(var, "").strip()
        if value:
            first = value.split(":")[0].lower()  # $LANGUAGE may list several
            return "en" if first.startswith("en") else "zh"
    return "zh"


@lru_cache(maxsize=None)
def translation(domain: str, localedir: str, language: str) -> gettext.NullTranslations:
    """The catalog of `domain` for `language`; Chinese (the msgids) is the null translation."""
    if language == "zh":
        return gettext.NullTranslations()
    return gettext.translation(domain, localedir, languages=[language], fallback=True)


def translator(domain: str, localedir: Path) -> Callable[[str], str]:
    """A `_()` for one domain: looks the language up at each call (tests and `--lang` switch it)."""
    where = str(localedir)

    def _(message: str) -> str:
        return translation(domain, where, current_language()).gettext(message)

    _.__doc__ = f"Translate a Chinese message of the '{domain}' catalog into the current language."
    return _


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a message for extraction without translating it now (translate it with `_()` when shown)."""
    return message


DOMAIN = "kefu-scoring"
LOCALE_DIR = Path(__file__).parent / "locale"

_ = translator(DOMAIN, LOCALE_DIR)
