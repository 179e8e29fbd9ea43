"""Regenerate kefu's message catalogs: extract with Babel, update the English `.po`, compile every `.mo`.

    python -m tools.i18n            # extract, merge into the en catalogs, compile (run after changing a message)
    python -m tools.i18n --check    # exit 1 when a catalog is stale or an English translation is missing

Messages are Chinese in the source (`_("…")`, `N_("…")`); the `en` catalogs translate them. A new
message lands in `simulator/locale/en/LC_MESSAGES/kefu.po` (or scoring's) with an empty msgstr:
write the English there and run this again. Babel is a development dependency only (`.[test]`);
at run time kefu reads the compiled `.mo` with the standard library's gettext.
"""

from __future__ import annotations

import argparse
import datetime
import io
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "N_": None}
FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)


@dataclass(frozen=True)
class Domain:
    """One catalog: the package it is extracted from and where its files live."""

    name: str
    package: Path
    locale_dir: Path

    def po(self, language: str) -> Path:
        return self.locale_dir / language / "LC_MESSAGES" / f"{self.name}.po"


DOMAINS = (
    Domain("kefu", ROOT / "simulator", ROOT / "simulator" / "locale"),
    Domain("kefu-scoring", ROOT / "scoring", ROOT / "scoring" / "locale"),
)
EXTRA_CATALOGS = (ROOT / "simulator" / "locale" / "zh" / "LC_MESSAGES" / "argparse.po",)
"""Hand-written catalogs compiled as they are (argparse's own English words in Chinese)."""


def extract(domain: Domain) -> Catalog:
    """Every marked message of the domain's package, with its locations."""
    catalog = Catalog(project="kefu", version="0.1.0", charset="utf-8")
    method_map = [("**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(domain.package), method_map=method_map, keywords=KEYWORDS, comment_tags=("Translators:",),
        strip_comment_tags=True,
    ):
        if not message:
            continue
        catalog.add(message, None, [(f"{domain.package.name}/{filename}", lineno)], auto_comments=comments,
                    context=context)
    return catalog


def merged(domain: Domain, language: str = "en") -> Catalog:
    """The extracted messages with the translations already in the `.po` (obsolete ones dropped)."""
    template = extract(domain)
    path = domain.po(language)
    old = read_po(path.open("rb"), locale=language) if path.exists() else Catalog(locale=language)
    catalog = Catalog(locale=language, project="kefu", version="0.1.0", charset="utf-8", fuzzy=False,
                      header_comment=f"# English for kefu's Chinese messages (domain {domain.name}).",
                      creation_date=FIXED_DATE, revision_date=FIXED_DATE,  # same input, same bytes
                      msgid_bugs_address="", last_translator="kefu developers", language_team="")
    for message in template:
        if not message.id:
            continue
        previous = old.get(message.id, message.context)
        catalog.add(message.id, previous.string if previous is not None else "", message.locations,
                    auto_comments=message.auto_comments, context=message.context)
    return catalog


def render_po(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=False, sort_output=False, include_lineno=False)
    return out.getvalue()


def render_mo(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def _targets() -> list[tuple[Path, bytes | None, Catalog]]:
    """(po path, po bytes to write or None for hand-written, catalog) for every catalog."""
    targets = []
    for domain in DOMAINS:
        catalog = merged(domain)
        targets.append((domain.po("en"), render_po(catalog), catalog))
    for path in EXTRA_CATALOGS:
        catalog = read_po(path.open("rb"))
        catalog.creation_date = catalog.revision_date = FIXED_DATE  # not in its header: else "now"
        targets.append((path, None, catalog))
    return targets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.i18n", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the catalogs are current")
    args = parser.parse_args(argv)
    stale = []
    for po_path, po_bytes, catalog in _targets():
        mo_path = po_path.with_suffix(".mo")
        mo_bytes = render_mo(catalog)
        missing = [m.id for m in catalog if m.id and not m.string]
        if args.check:
            if po_bytes is not None and (not po_path.exists() or po_path.read_bytes() != po_bytes):
                stale.append(f"{po_path}: not current (run python -m tools.i18n)")
            if not mo_path.exists() or mo_path.read_bytes() != mo_bytes:
                stale.append(f"{mo_path}: not compiled from its .po (run python -m tools.i18n)")
            stale += [f"{po_path}: no translation for {m!r}" for m in missing]
            continue
        po_path.parent.mkdir(parents=True, exist_ok=True)
        if po_bytes is not None:
            po_path.write_bytes(po_bytes)
        mo_path.write_bytes(mo_bytes)
        print(f"{po_path.relative_to(ROOT)}: {len(catalog)} messages, {len(missing)} without a translation")
    for line in stale:
        print(line, file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
