"""Time to the first customer line of `kefu play wig-wrong-color --no-typing` (goal: 0.5 s in tmux), and
where that time goes.

Measurements, each in fresh processes (cold imports, cold jieba):

- in-app:  a headless pilot run; `app.first_line_at`, the seconds from the import of
  simulator.tui.launch (launch.STARTED_AT) until the first CustomerBubble was mounted, split into
  steps (`app.timings`); the child also reports its CPU time at that moment, which does not grow
  when other processes compete for the CPUs, and when the scorer's warm-up (jieba) finished, which
  happens in a worker after the line is shown.
- terminal: the real program in tmux; from just before `tmux new-session` until capture-pane shows
  the customer's first message (its text, not a box border: the side panels draw borders too). Includes the Python interpreter start-up and terminal rendering.
- profile: one more child under `python -X importtime` (the slowest imports before the first
  line) and one under cProfile (the functions that take the time, cumulative).

    python bench/bench_tui_start.py [--runs 5] [--scenario wig-wrong-color] [--no-profile]
"""

from __future__ import annotations

import argparse
import json
import os
import re
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
import asyncio, json, os, sys, time
PROFILE = os.environ.get("KEFU_BENCH_CPROFILE")
if PROFILE:
    import cProfile
    profiler = cProfile.Profile()
    profiler.enable()
from simulator.tui import launch           # sets launch.STARTED_AT; then the same steps as play_command
from simulator.content.library import load_library
content_imported = time.perf_counter() - launch.STARTED_AT
library = load_library()
library_loaded = time.perf_counter() - launch.STARTED_AT
if hasattr(launch, "preload_engine"):
    launch.preload_engine()
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
        if PROFILE:
            profiler.disable()
            profiler.dump_stats(PROFILE)
        if os.environ.get("KEFU_BENCH_FIRST_LINE_ONLY"):  # -X importtime: nothing imported after the line
            print(json.dumps({"first_line": first}), flush=True)
            os._exit(0)
        while app.warm_up_seconds is None and time.monotonic() < deadline:
            await pilot.pause(0.01)
        steps = {"import simulator.content (pydantic models)": content_imported,
                 "load_library (all content YAML)": library_loaded,
                 "import the engine (preload_engine) and Textual and the app": app_imported,
                 **getattr(app, "timings", {})}
        print(json.dumps({"first_line": first, "library": library_loaded, "imports": app_imported - library_loaded,
                          "cpu": cpu, "steps": steps,
                          "warm_up_done": time.perf_counter() - launch.STARTED_AT}))

asyncio.run(main())
"""

IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)$")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, timeout=10).stdout


def first_line_marks(scenario_id: str) -> list[str]:
    """The starts of the lines the customer may open with (the seed's own first, then every opening):
    the terminal run stops when one is on screen, not at the first box border (side panels draw those)."""
    sys.path.insert(0, str(ROOT))
    from simulator.content.selection import load_scenario
    from simulator.engine import ManualClock, Session

    found = load_scenario(scenario_id)
    scenario, persona = found.scenario, found.persona
    first = Session(scenario, persona, seed=0, clock=ManualClock()).start()[0].text
    candidates = [first, *scenario.opening, *persona.lines.get("opening", [])]
    # Six characters fit on one row of a bubble whatever the wrapping; spaces never start a row.
    return list(dict.fromkeys(c.strip()[:6] for c in candidates if c.strip()))


def terminal_run(scenario: str, home: str, marks: list[str]) -> float:
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
            screen = tmux("capture-pane", "-p", "-t", session)
            if any(mark in screen for mark in marks):  # the customer's first message itself
                return time.perf_counter() - start
            time.sleep(0.005)
        raise RuntimeError("no customer line within 30 s")
    finally:
        tmux("kill-session", "-t", session)


def pilot_run(scenario: str, home: str, python_flags: tuple[str, ...] = (), env: dict | None = None
              ) -> tuple[dict, str]:
    out = subprocess.run([sys.executable, *python_flags, "-c", PILOT_CHILD, scenario, home], capture_output=True,
                         text=True, timeout=60, cwd=ROOT, env={**os.environ, **(env or {})})
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1]), out.stderr


def summary(values: list[float]) -> str:
    return (f"median {statistics.median(values):.3f} s  min {min(values):.3f} s  max {max(values):.3f} s  "
            f"(n={len(values)})")


def print_steps(runs: list[dict]) -> None:
    """Median seconds from launch to each start-up step, in the order they happen."""
    names = sorted(runs[0]["steps"], key=lambda n: statistics.median(r["steps"].get(n, 0) for r in runs))
    print("in-app   start-up steps (median seconds from launch, in the order they happen):")
    previous = 0.0
    for name in names:
        at = statistics.median(r["steps"][name] for r in runs if name in r["steps"])
        print(f"           {at:6.3f} s  (+{at - previous:.3f})  {name}")
        previous = at


def print_import_profile(stderr: str, top: int = 16) -> None:
    """The slowest imports (cumulative) from `python -X importtime`, our modules and their heavy dependencies."""
    rows = []
    for line in stderr.splitlines():
        m = IMPORT_LINE.match(line)
        if m:
            rows.append((int(m.group(2)), int(m.group(1)), len(m.group(3)) // 2, m.group(4)))
    interesting = [r for r in rows if r[2] <= 2 or r[3].split(".")[0] in ("pydantic", "textual", "scoring", "yaml",
                                                                         "transitions", "simulator")]
    print(f"profile  slowest imports before the first line (python -X importtime, cumulative ms; "
          f"depth 0 = imported by the start-up code):")
    seen: set[str] = set()
    for cumulative, own, depth, name in sorted(interesting, reverse=True):
        if name in seen or len(seen) >= top:
            continue
        seen.add(name)
        print(f"           {cumulative / 1000:7.1f} ms  (own {own / 1000:5.1f})  depth {depth}  {name}")


def print_cprofile(path: str, top: int = 18) -> None:
    """Functions by cumulative time up to the first line (cProfile of the main thread)."""
    import io
    import pstats

    out = io.StringIO()
    stats = pstats.Stats(path, stream=out)
    stats.sort_stats("cumulative").print_stats(r"simulator/|scoring/|textual/(app|screen|widget|css/stylesheet)\.py|"
                                               r"pydantic/_internal/_model_construction|yaml/__init__", top)
    lines = [ln for ln in out.getvalue().splitlines() if ln.strip()]
    start = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("ncalls")), 0)
    print("profile  cumulative seconds by function up to the first line (cProfile, main thread):")
    for ln in lines[start:]:
        print("          " + ln.replace(str(ROOT) + "/", "").replace(sys.prefix, "<venv>"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scenario", default="wig-wrong-color")
    parser.add_argument("--no-profile", action="store_true", help="only the timings")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs (figures scale with it)")
    with tempfile.TemporaryDirectory() as home:
        os.environ.setdefault("KEFU_HOME", home)
        pilot = [pilot_run(args.scenario, home)[0] for _ in range(args.runs)]
        print(f"in-app   first customer line (from launch.py import): "
              f"{summary([p['first_line'] for p in pilot])}")
        print(f"in-app   of which load_library (import + all content YAML): "
              f"{summary([p['library'] for p in pilot])}")
        print(f"in-app   of which importing the engine, Textual and the app: "
              f"{summary([p['imports'] for p in pilot])}")
        print(f"in-app   of which the app running until the line is shown:  "
              f"{summary([p['first_line'] - p['library'] - p['imports'] for p in pilot])}")
        print(f"in-app   CPU time of the process at the first line (load-independent): "
              f"{summary([p['cpu'] for p in pilot])}")
        print(f"in-app   scorer warm-up finished (worker, after the line): "
              f"{summary([p['warm_up_done'] for p in pilot])}")
        print_steps(pilot)
        if shutil.which("tmux"):
            marks = first_line_marks(args.scenario)
            terminal = [terminal_run(args.scenario, home, marks) for _ in range(args.runs)]
            print(f"terminal first customer line on screen (tmux, from spawn): {summary(terminal)}")
        else:
            print("terminal: skipped (tmux not installed)")
        if not args.no_profile:
            _, stderr = pilot_run(args.scenario, home, ("-X", "importtime"), env={"KEFU_BENCH_FIRST_LINE_ONLY": "1"})
            print_import_profile(stderr)
            stats = str(Path(home) / "first_line.prof")
            pilot_run(args.scenario, home, env={"KEFU_BENCH_CPROFILE": stats})
            print_cprofile(stats)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
