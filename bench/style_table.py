"""The style suite as a table: scenario x trainee style -> outcome, breach, total (issue 8 §6).

Plays every script in tests/styles/<scenario>/<style>_<variant>.txt with the real engine and
scorer, for seeds 0 and 1, and prints one row per scenario and style. Also prints the share of
distinct customer lines (distinct lines / customer turns after the opening) over the suite.

    python bench/style_table.py            # variant a (the tuned scripts) and b (the hold-out)
    python bench/style_table.py --variant b
    python bench/style_table.py --variant f                      # the blind six styles (issue 17)
    python bench/style_table.py --variant g --dir DIR            # a hold-out set laid out the same way
    python bench/style_table.py --variant f --dir tests/styles/new-cases --content tests/styles/new-cases
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.content.library import load_library  # noqa: E402
from simulator.engine.replay import parse_replies, play_script  # noqa: E402

STYLES = ("model", "clumsy", "rude", "slow", "template", "stuffing", "overconceding")
BLIND_STYLES = ("model", "wrong_substance", "recovers", "absolutes", "terse", "offtopic")  # variant f on
STYLE_DIR = ROOT / "tests" / "styles"


def play(library, scenario_id: str, style: str, variant: str, seed: int, root: Path = STYLE_DIR):
    """(outcome, breach, total, customer lines after the opening) of one script."""
    scenario = library.scenarios[scenario_id]
    persona = library.personas[scenario.persona]
    path = root / scenario_id / f"{style}_{variant}.txt"
    if not path.is_file():
        return "-", False, 0, []
    replies = parse_replies(path.read_text(encoding="utf-8").splitlines())
    session = play_script(scenario, persona, replies, seed=seed,
                          quick_replies=[q.text for q in library.quick_replies]).session
    card = session.scorecard()
    said = [t.text for t in session.transcript if t.role == "customer"]
    opening = len([m for m in said if m in scenario.opening or any(m == i.complaint for i in scenario.issues)])
    return session.outcome, session.policy_breach, card.total, said[opening:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", default="both", help="a, b, both, or any other letter (f, g…: the six blind styles)")
    parser.add_argument("--dir", type=Path, default=STYLE_DIR, help="folder of <case>/<style>_<variant>.txt")
    parser.add_argument("--content", type=Path, action="append", default=[], help="extra content folder (new cases)")
    args = parser.parse_args(argv)
    variants = ["a", "b"] if args.variant == "both" else [args.variant]
    styles = STYLES if set(variants) <= {"a", "b"} else BLIND_STYLES
    library = load_library(list(args.content), include_env=False)
    scenarios = sorted(p.name for p in args.dir.iterdir() if p.is_dir() and p.name in library.scenarios)
    lines: list[str] = []
    print(f"{'scenario':<30}" + "".join(f"{s:>22}" for s in styles))
    for sid in scenarios:
        for variant in variants:
            cells = []
            for style in styles:
                results = [play(library, sid, style, variant, seed, args.dir) for seed in (0, 1)]
                for r in results:
                    lines.extend(r[3])
                cell = "/".join(f"{o[:3]}{'!' if b else ''}{t}" for o, b, t, _ in results)
                cells.append(f"{cell:>22}")
            print(f"{sid + ' ' + variant:<30}" + "".join(cells))
    print(f"\ndistinct customer lines / customer turns after the opening: {len(set(lines))}/{len(lines)}"
          f" = {len(set(lines)) / max(1, len(lines)):.2f}")
    print("cell: outcome (res/esc/aba/unf), ! = policy breach, total; seed 0 / seed 1")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
