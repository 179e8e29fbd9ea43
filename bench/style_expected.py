"""Issue 17 §6 as a count: does each blind style script end the way a fair simulator must?

For every case folder with scripts `<style>_<variant>.txt` in the six styles of variants f and g, played
with the real engine and scorer for seeds 0 and 1:
  model resolves with no policy breach; wrong_substance, terse and offtopic never resolve; recovers
  resolves and scores below model; absolutes is flagged (an overpromise deduction on the scorecard).
Prints "N of M checks hold" and every check that does not, with each style's outcome, breach (!),
total and overpromise flag (*). A figure; tests/styles/test_style_suite_f.py asserts the same for f and g.

    python bench/style_expected.py --variant g
    python bench/style_expected.py --variant f --dir tests/styles/new-cases --content tests/styles/new-cases
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.content.library import load_library  # noqa: E402
from simulator.engine.replay import parse_replies, play_script  # noqa: E402

STYLES = ("model", "wrong_substance", "recovers", "absolutes", "terse", "offtopic")


def play(library, folder: Path, case: str, style: str, variant: str, seed: int):
    """(outcome, breach, total, overpromise flagged) of one script."""
    scenario = library.scenarios[case]
    text = (folder / case / f"{style}_{variant}.txt").read_text(encoding="utf-8")
    session = play_script(scenario, library.personas[scenario.persona], parse_replies(text.splitlines()),
                          seed=seed, quick_replies=[q.text for q in library.quick_replies]).session
    card = session.scorecard()
    flagged = any("overpromise" in (item.rule or "") for item in card.items if item.points < 0)
    return session.outcome, session.policy_breach, card.total, flagged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", default="g")
    parser.add_argument("--dir", default=str(ROOT / "tests" / "styles"), help="folder of <case>/ folders")
    parser.add_argument("--content", action="append", default=[], help="extra content folder (new cases)")
    args = parser.parse_args(argv)
    folder = Path(args.dir)
    library = load_library([Path(c) for c in args.content], include_env=False)
    held = failed = 0
    for case in sorted(p.name for p in folder.iterdir() if (p / f"model_{args.variant}.txt").is_file()):
        if case not in library.scenarios:
            print(f"skipped {case}: no such case in the content in use")
            continue
        for seed in (0, 1):
            r = {s: play(library, folder, case, s, args.variant, seed) for s in STYLES}
            checks = {
                "model resolves, no breach": r["model"][0] == "resolved" and not r["model"][1],
                "wrong_substance not resolved": r["wrong_substance"][0] != "resolved",
                "terse not resolved": r["terse"][0] != "resolved",
                "offtopic not resolved": r["offtopic"][0] != "resolved",
                "recovers resolves": r["recovers"][0] == "resolved",
                "recovers below model": r["recovers"][2] < r["model"][2],
                "absolutes flagged": r["absolutes"][3],
            }
            for name, ok in checks.items():
                held += ok
                failed += not ok
                if not ok:
                    cells = " ".join(f"{s}={o[:3]}{'!' if b else ''}{t}{'*' if f else ''}" for s, (o, b, t, f) in r.items())
                    print(f"  - {case} seed {seed}: {name}   {cells}")
    print(f"{held} of {held + failed} checks hold")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
