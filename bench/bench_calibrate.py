"""Calibration at cohort scale: 500 trainees × 1 exam × 3 attempts (~4,200 finished conversations, synthetic,
simulator/records/bulk.py), two graders grading a 60-conversation sheet each; then timed:

- sheet: read every conversation of the exam, draw the stratified sample, write CSV + HTML;
- import: read and record the two filled sheets (120 grades);
- report / items / passmark: read everything and compute every figure.

    python bench/bench_calibrate.py [--trainees 500] [--pg postgresql://postgres@127.0.0.1/postgres]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)


def _timed(label: str, fn):
    began = time.perf_counter()
    code = fn()
    took = time.perf_counter() - began
    assert code == 0, f"{label} failed ({code})"
    return took


def run(url: str, trainees: int, workdir: Path, label: str) -> str:
    from simulator.cli import main
    from simulator.records.bulk import EXAMS, generate_cohort
    from simulator.records.store import open_store

    with open_store(url) as store:
        written = generate_cohort(store, trainees=trainees, exams=EXAMS[:1], attempts=3, start=START, every=True)
        from simulator.records.calibration import exam_conversations

        graded = len(exam_conversations(store, EXAMS[0].id))  # finished conversations (some attempts were cut short)
    exam = EXAMS[0].id
    sheet = workdir / "sheet.csv"
    devnull = open(os.devnull, "w")
    stdout, sys.stdout = sys.stdout, devnull
    try:
        t_sheet = _timed("sheet", lambda: main(["calibrate", "sheet", "--exam", exam, "--sample", "60", "--seed", "1",
                                                "--db", url, "--out", str(sheet)]))
        rows = list(csv.reader(io.StringIO(sheet.read_bytes().decode("utf-8-sig"), newline="")))
        rng = random.Random(2)
        out = [rows[0]]
        for grader in ("王", "李"):
            for r in rows[1:]:
                total = rng.randint(0, 100)
                out.append(r[:3] + [grader, *(str(rng.randint(0, 100)) for _ in range(4)), str(total),
                                    "是" if total >= 60 else "否", ""])
        filled = workdir / "filled.csv"
        buffer = io.StringIO()
        csv.writer(buffer).writerows(out)
        filled.write_text(buffer.getvalue(), encoding="utf-8")
        t_import = _timed("import", lambda: main(["calibrate", "import", str(filled), "--db", url]))
        t_report = _timed("report", lambda: main(["calibrate", "report", "--exam", exam, "--format", "json", "--db", url]))
        t_items = _timed("items", lambda: main(["calibrate", "items", "--exam", exam, "--db", url]))
        t_pass = _timed("passmark", lambda: main(["calibrate", "passmark", "--exam", exam, "--db", url]))
    finally:
        sys.stdout = stdout
    return (f"{label:<12}{written} attempts ({graded} finished conversations)  sheet {t_sheet:5.2f} s  import {t_import:5.2f} s"
            f"  report {t_report:5.2f} s  items {t_items:5.2f} s  passmark {t_pass:5.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trainees", type=int, default=500)
    parser.add_argument("--pg", default=os.environ.get("KEFU_TEST_PG_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(run(str(Path(tmp) / "kefu.db"), args.trainees, Path(tmp), "SQLite"))
        if args.pg:
            import sqlalchemy as sa

            from simulator.records.store import resolve_url

            name = "kefu_bench_" + uuid.uuid4().hex[:8]
            admin = sa.create_engine(resolve_url(args.pg), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
            url = sa.engine.make_url(resolve_url(args.pg)).set(database=name).render_as_string(hide_password=False)
            try:
                print(run(url, args.trainees, Path(tmp), "PostgreSQL"))
            finally:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.dispose()


if __name__ == "__main__":
    main()
