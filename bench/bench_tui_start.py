"""Time to the first customer line of `kefu play wig-wrong-color --no-typing` (target: under 1 s).

Two measurements, each in fresh processes (cold imports, cold jieba):

- terminal: the real program in tmux; from just before `tmux new-session` until capture-pane shows
  the customer's first bubble. Includes the Python interpreter start-up and terminal rendering.
- in-app:  a headless pilot run (the child also reports its CPU time at that moment, which does not
  grow when other processes compete for the CPUs); `app.first_line_at`, the seconds from the import of
  simulator.tui.launch (launch.STARTED_AT) until the first CustomerBubble was mounted. It also reports
  when the scorer's warm-up (jieba) finished, which happens in a worker after the line is shown.

    python bench/bench_tui_start.py [--runs 5] [--scenario wig-wrong-color]
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PILOT_CHILD = r"""
import asyncio, json, sys, time
from simulator.tui import launch           # sets launch.STARTED_AT; then the same steps as play_command
from simulator.content.library import load_library
library = load_library()
library_loaded = time.perf_counter() - launch.STARTED_AT
from simulator.tui.app import make_app     # Textual and the app's modules
from simulator.tui.settings import Settings
app_imported = time.perf_counter() - launch.STARTED_AT

async def main():
    settings = Settings(seed=0, typing=False, records_dir=sys.argv[2])
    app = make_app(library, settings, scenario_id=sys.argv[1], started_at=launch.STARTED_AT)
    async with app.run_test(size=(120, 40)) as pilot:
        deadline = time.monotonic() + 30
        while app.first_line_at is None and time.monotonic() < deadline:
            await pilot.pause(0.005)
        first = app.first_line_at
        cpu = time.process_time()  # CPU seconds of this process so far (the warm-up thread starts after the line)
        while app.warm_up_seconds is None and time.monotonic() < deadline:
            await pilot.pause(0.01)
        print(json.dumps({"first_line": first, "library": library_loaded, "imports": app_imported - library_loaded,
                          "cpu": cpu, "warm_up_done": time.perf_counter() - launch.STARTED_AT}))

asyncio.run(main())
"""


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, timeout=10).stdout


def terminal_run(scenario: str, home: str) -> float:
    session = f"kefu-bench-{uuid.uuid4().hex[:8]}"
    command = (f"KEFU_HOME={shlex.quote(home)} {shlex.quote(sys.executable)} -m simulator play "
               f"{shlex.quote(scenario)} --no-typing --seed 0")
    start = time.perf_counter()
    for attempt in range(3):  # a tmux server that is just shutting down refuses new sessions
        proc = subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", "-c", str(ROOT),
                               command], capture_output=True, text=True, timeout=10)
        if proc.returncode == 0:
            break
        time.sleep(0.2)
        start = time.perf_counter()
    else:
        raise RuntimeError(f"tmux new-session failed: {proc.stderr.strip()}")
    try:
        deadline = start + 30
        while time.perf_counter() < deadline:
            if "╭─ " in tmux("capture-pane", "-p", "-t", session):  # a bubble's top border with the name
                return time.perf_counter() - start
            time.sleep(0.005)
        raise RuntimeError("no customer line within 30 s")
    finally:
        tmux("kill-session", "-t", session)


def pilot_run(scenario: str, home: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PILOT_CHILD, scenario, home], capture_output=True, text=True,
                         timeout=60, cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def summary(values: list[float]) -> str:
    return (f"median {statistics.median(values):.3f} s  min {min(values):.3f} s  max {max(values):.3f} s  "
            f"(n={len(values)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scenario", default="wig-wrong-color")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs (figures scale with it)")
    with tempfile.TemporaryDirectory() as home:
        os.environ.setdefault("KEFU_HOME", home)
        pilot = [pilot_run(args.scenario, home) for _ in range(args.runs)]
        print(f"in-app   first customer line (from launch.py import): "
              f"{summary([p['first_line'] for p in pilot])}")
        print(f"in-app   of which load_library (import + all content YAML): "
              f"{summary([p['library'] for p in pilot])}")
        print(f"in-app   of which importing Textual and the app:           "
              f"{summary([p['imports'] for p in pilot])}")
        print(f"in-app   of which the app running until the line is shown:  "
              f"{summary([p['first_line'] - p['library'] - p['imports'] for p in pilot])}")
        print(f"in-app   CPU time of the process at the first line (load-independent): "
              f"{summary([p['cpu'] for p in pilot])}")
        print(f"in-app   scorer warm-up finished (worker, after the line): "
              f"{summary([p['warm_up_done'] for p in pilot])}")
        if shutil.which("tmux"):
            terminal = [terminal_run(args.scenario, home) for _ in range(args.runs)]
            print(f"terminal first customer line on screen (tmux, from spawn): {summary(terminal)}")
        else:
            print("terminal: skipped (tmux not installed)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
