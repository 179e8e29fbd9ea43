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

__all__ = ["_", "N_", "LANG_ENV", "LANGUAGES", "current_language", "DOMAIN", "LOCALE_DIR"]

DOMAIN = "kefu"
LOCALE_DIR = Path(__file__).parent / "locale"

_ = translator(DOMAIN, LOCALE_DIR)
