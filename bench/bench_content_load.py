"""How long loading the built-in content takes (`load_library()`), cold and warm.

Three figures, each the median of N runs:

- fresh process: a new `python -c` that imports simulator.content.library and calls
  load_library(include_env=False); the child reports the import time, the first-call time and
  their sum (all `time.perf_counter`), so interpreter start-up is not counted.
- fresh process, wall: the same child timed from outside (interpreter start-up included).
- in-process: load_library() again in this (warm) process — imports done, caches warm.

It also prints which YAML composer is used (libyaml's C loader or pure Python) and what was
loaded (scenarios / personas / quick replies / problems), so a faster run that loads less shows.

    python bench/bench_content_load.py [--runs 15] [--pure]

--pure sets KEFU_PURE_YAML=1 (the pure-Python composer only) for a comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, time
t0 = time.perf_counter()
from simulator.content.library import load_library
t1 = time.perf_counter()
library = load_library(include_env=False)
t2 = time.perf_counter()
import sys
print(json.dumps({
    "import": t1 - t0, "load": t2 - t1, "total": t2 - t0,
    "counts": [len(library.scenarios), len(library.personas), len(library.quick_replies), len(library.problems)],
    "engine_imported": "simulator.engine.session" in sys.modules,
    "tui_imported": any(m.startswith("simulator.tui") for m in sys.modules),
}))
"""


def fresh_runs(runs: int, env: dict[str, str]) -> tuple[list[dict], list[float]]:
    results, walls = [], []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        ).stdout
        walls.append(time.perf_counter() - start)
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results, walls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="fresh processes (and in-process calls)")
    parser.add_argument("--pure", action="store_true", help="pure-Python YAML composer only")
    args = parser.parse_args()
    env = dict(os.environ)
    env.pop("KEFU_CONTENT", None)
    if args.pure:
        env["KEFU_PURE_YAML"] = "1"
        os.environ["KEFU_PURE_YAML"] = "1"

    results, walls = fresh_runs(args.runs, env)
    med = {k: statistics.median(r[k] for r in results) for k in ("import", "load", "total")}

    sys.path.insert(0, str(ROOT))  # this checkout's simulator, as in the children (cwd=ROOT)
    from simulator.content import loader
    from simulator.content.library import load_library

    load_library(include_env=False)
    warm = []
    for _ in range(args.runs):
        start = time.perf_counter()
        library = load_library(include_env=False)
        warm.append(time.perf_counter() - start)

    c = results[0]["counts"]
    composer = getattr(loader, "composer_name", lambda: "pure Python (yaml.SafeLoader)")()
    print(f"python {sys.version.split()[0]}, composer: {composer}, runs: {args.runs}")
    print(f"loaded: {c[0]} scenarios, {c[1]} personas, {c[2]} quick replies, {c[3]} problems")
    print(f"engine imported: {results[0]['engine_imported']}, tui imported: {results[0]['tui_imported']}")
    print(f"fresh process  import {med['import'] * 1000:7.1f} ms   load_library {med['load'] * 1000:7.1f} ms"
          f"   sum {med['total'] * 1000:7.1f} ms   (medians)")
    print(f"fresh process  wall (with interpreter start-up) {statistics.median(walls) * 1000:7.1f} ms (median)")
    print(f"in-process     load_library {statistics.median(warm) * 1000:7.1f} ms (median; min {min(warm) * 1000:.1f})")
    assert len(library.scenarios) == c[0]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
