"""Regenerate docs/behaviour-changes.md from simulator/content/behaviour_changes.yaml.

    PYTHONPATH=. python -m tools.behaviour_changes           # write the doc
    PYTHONPATH=. python -m tools.behaviour_changes --check   # exit 1 when the doc is stale
"""

from __future__ import annotations

import sys
from pathlib import Path

from simulator.content.behaviour import render_markdown

DOC = Path(__file__).resolve().parent.parent / "docs" / "behaviour-changes.md"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = render_markdown()
    if "--check" in args:
        current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
        if current != text:
            print(f"{DOC} is stale: run python -m tools.behaviour_changes", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
