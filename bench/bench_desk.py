"""The team lead's desk at cohort scale: 500 trainees × 3 exams × 3 attempts (4,500), written straight
through the store's bulk writer (simulator/records/bulk.py; values drawn from a seeded Random, not
played), then timed:

- generate: writing the cohort (attempts, sessions, every turn, hash-chained);
- results: `kefu results --format table|csv|json|xapi` run for real (output to /dev/null), each with
  its ratio to the CSV export — every format should take about the time of the CSV (linear);
- desk open: a headless `kefu desk` (Textual pilot) from constructing the app until the cohort table
  is drawn (the records read in the worker, summarised, every row added) — target ≤ 1 s;
- desk filter: choosing one exam in the filter until the table is redrawn — target ≤ 1 s;
- report: `kefu report --out` run for real (read, render, write the page and one transcript page
  per attempt); the page's size (target ≤ 3 MB) and the time headless Chromium takes to load it
  (`--dump-dom`, browser start-up included; target ≤ 3 s).

On SQLite (a temp file) always; on PostgreSQL when --pg URL or $KEFU_TEST_PG_URL names a server
(a fresh database is created there and dropped afterwards).

    python bench/bench_desk.py [--trainees 500] [--attempts 3] [--pg postgresql://postgres@127.0.0.1/postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


def _clock():
    return NOW


async def _desk_times(store) -> tuple[float, float, int]:
    from textual.widgets import DataTable, Select

    from simulator.tui.desk.app import DeskApp

    started = time.perf_counter()
    app = DeskApp(store, animations=False, cases_dir=Path(tempfile.mkdtemp()))
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#cohort-table", DataTable)
        while table.row_count == 0:
            await pilot.pause()
        opened = time.perf_counter() - started
        rows = table.row_count
        exam = next(iter(app.screen.cohort.exams))
        started = time.perf_counter()
        app.screen.query_one("#filter-exam", Select).value = exam
        while app.screen.filters.exam != exam or len(table.columns) != 3:
            await pilot.pause()
        filtered = time.perf_counter() - started
    return opened, filtered, rows


def _command(*args: str) -> float:
    """Seconds `kefu ARGS` takes in this process, its output thrown away."""
    from simulator.cli import main

    started = time.perf_counter()
    with open(os.devnull, "w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
        code = main(list(args))
    assert code == 0, (args, code)
    return time.perf_counter() - started


def _chromium_open(page: Path) -> float | None:
    """Seconds headless Chromium takes to load the page and hand back its DOM (start-up included)."""
    browser = next((b for b in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if b), None)
    if browser is None:
        return None
    with tempfile.TemporaryDirectory() as profile:
        started = time.perf_counter()
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
                       capture_output=True, check=True, timeout=120)
        return time.perf_counter() - started


def run(url: str, label: str, trainees: int, attempts: int) -> None:
    from simulator.records.bulk import generate_cohort
    from simulator.records.store import open_store

    with open_store(url, now=_clock) as store:
        started = time.perf_counter()
        written = generate_cohort(store, trainees=trainees, attempts=attempts, seed=1, start=START,
                                  every=True)
        generated = time.perf_counter() - started
        opened, filtered, rows = asyncio.run(_desk_times(store))
    _command("results", "--db", url, "--format", "csv")  # warm-up: imports and the first connection
    results = {fmt: _command("results", "--db", url, "--format", fmt) for fmt in ("csv", "table", "json", "xapi")}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "report.html"
        report = _command("report", "--db", url, "--out", str(out))
        size = out.stat().st_size
        browser = _chromium_open(out)
    csv = results["csv"]
    print(f"{label:<11} {written} attempts ({rows} trainees), generate {generated:.2f} s")
    for fmt, seconds in results.items():
        print(f"{'':<11} results --format {fmt:<5} {seconds:6.2f} s  ×{seconds / csv:5.2f} of CSV")
    print(f"{'':<11} desk open            {opened:6.2f} s  ×{opened / csv:5.2f} of CSV  (target ≤ 1 s)")
    print(f"{'':<11} desk filter          {filtered:6.2f} s  ×{filtered / csv:5.2f} of CSV  (target ≤ 1 s)")
    print(f"{'':<11} report               {report:6.2f} s  ×{report / csv:5.2f} of CSV  "
          f"page {size / 1e6:.2f} MB (target ≤ 3 MB) + {written} transcript pages")
    if browser is not None:
        print(f"{'':<11} report in Chromium   {browser:6.2f} s  ×{browser / csv:5.2f} of CSV  (target ≤ 3 s)")
    else:
        print(f"{'':<11} report in Chromium   skipped (no Chromium)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=500)
    parser.add_argument("--attempts", type=int, default=3)
    parser.add_argument("--pg", default=os.environ.get("KEFU_TEST_PG_URL"), help="PostgreSQL admin URL")
    args = parser.parse_args()
    print(f"cohort: {args.trainees} trainees × 3 exams × {args.attempts} attempts; targets: every results format "
          "about the CSV's time, desk open and filter ≤ 1 s, report page ≤ 3 MB opening in Chromium in ≤ 3 s")
    with tempfile.TemporaryDirectory() as folder:
        run(str(Path(folder) / "bench.db"), "SQLite", args.trainees, args.attempts)
    if not args.pg:
        print("PostgreSQL  skipped (give --pg URL or set KEFU_TEST_PG_URL)")
        return 0
    import sqlalchemy as sa

    from simulator.records.store import resolve_url

    name = "kefu_bench_" + uuid.uuid4().hex[:8]
    admin = sa.create_engine(resolve_url(args.pg), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        url = sa.engine.make_url(resolve_url(args.pg)).set(database=name).render_as_string(hide_password=False)
        run(url, "PostgreSQL", args.trainees, args.attempts)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
