"""How often each dimension and violation fires on the real, unlabelled helpdesk corpus.

Real professional replies should almost never be flagged: this prints the firing rates and a
sample of the flagged replies to read by eye.

    python bench/corpus_report.py [--data FILE] [--sample N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scoring import analyze  # noqa: E402

DEFAULT_DATA = Path(os.environ.get("KEFU_STC3", REPO.parent / "shared" / "data" / "stc3_helpdesk_cn.jsonl"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSON lines with a 'text' field")
    parser.add_argument("--sample", type=int, default=15, help="flagged replies to print (default 15)")
    args = parser.parse_args()
    if not args.data.is_file():
        print(f"corpus_report: no corpus at {args.data} (set --data or $KEFU_STC3)", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    fired: Counter[str] = Counter()
    flagged: list[tuple[str, str, list[str]]] = []
    for row in rows:
        a = analyze(row["text"])
        for dim in ("apology", "empathy", "question", "solution"):
            fired[dim] += getattr(a, dim) > 0
        for flag in ("thanks", "commitment", "asks_preference"):
            fired[flag] += getattr(a, flag)
        for code in a.violation_codes:
            fired[code] += 1
        if a.violations:
            fired["any violation"] += 1
            flagged.append((row.get("id", "?"), row["text"], [f"{v.code.value}:{v.span.text}" for v in a.violations]))
    n = len(rows)
    print(f"{n} replies from {args.data.name}")
    for key in ("apology", "empathy", "question", "solution", "thanks", "commitment", "asks_preference",
                "insult", "refusal", "excuse", "contradict", "overpromise", "stall", "any violation"):
        print(f"  {key:<16} {fired[key]:>6}  {100 * fired[key] / max(n, 1):5.1f}%")
    # A fixed seed so two runs show the same sample.
    for rid, text, hits in random.Random(0).sample(flagged, min(args.sample, len(flagged))):
        print(f"- {rid}: {text[:90]}\n    {hits}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
