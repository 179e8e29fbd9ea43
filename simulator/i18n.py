"""`from simulator.i18n import _`: translation of everything a trainer or trainee reads.

Write the message in Chinese and mark it: `_("找不到文件：{path}").format(path=p)` (format after
translating, so the catalog holds one entry with the placeholder). For text kept in a constant,
mark it with `N_()` and call `_()` where it is shown. Catalog: `simulator/locale/en/LC_MESSAGES/kefu.po`
(and the compiled `.mo`); regenerate both with `python -m tools.i18n` (docs/engine.md, 'Translations').
The machinery is shared with the scorer (scoring.i18n), which has its own catalog.
"""

from __future__ import annotations

from pathlib import Path

from scoring.i18n import LANG_ENV, LANGUAGES, N_, current_language, translator

__all__ = [
    "_", "N_", "LANG_ENV", "LANGUAGES", "current_language", "DOMAIN", "LOCALE_DIR", "localize_argparse",
    "set_language_from_argv",
]

DOMAIN = "kefu"
LOCALE_DIR = Path(__file__).parent / "locale"

_ = translator(DOMAIN, LOCALE_DIR)


ARGPARSE_DOMAIN = "argparse"
"""argparse's own messages ('usage: ', 'options', …): a Chinese catalog of Python's English msgids."""


def set_language_from_argv(argv: list[str]) -> None:
    """`kefu --lang en …`: set $KEFU_LANG before any help text is built (argparse reads it late)."""
    import os

    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGUAGES:
            os.environ[LANG_ENV] = argv[i + 1]
        elif arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            os.environ[LANG_ENV] = arg.split("=", 1)[1]


def localize_argparse() -> None:
    """Give argparse's own words (usage:, options, required arguments, …) the current language.

    argparse translates them with `gettext.gettext` in its module globals `_` and `ngettext`;
    they are pointed at the shipped `zh` catalog of the 'argparse' domain (English: Python's own).
    """
    import argparse
    import gettext

    if current_language() == "zh":
        catalog = gettext.translation(ARGPARSE_DOMAIN, str(LOCALE_DIR), languages=["zh"], fallback=True)
        argparse._ = catalog.gettext  # type: ignore[attr-defined]
        argparse.ngettext = catalog.ngettext  # type: ignore[attr-defined]
    else:
        argparse._ = gettext.gettext  # type: ignore[attr-defined]
        argparse.ngettext = gettext.ngettext  # type: ignore[attr-defined]
