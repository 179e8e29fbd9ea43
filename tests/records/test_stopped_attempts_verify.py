"""An attempt stopped at any moment verifies as what it is: 30 random moments, four ways of stopping.

Each run forks a child (jieba already loaded, so no process start-up per run) that takes the exam
with `kefu exam run` and is stopped at a chosen point a write can be cut off at
(simulator/records/crashpoints.py): kill -9, SIGTERM, Ctrl+C (SIGINT) or a full disk. The attempt
is then exported and `kefu verify` must hold — no false "重放多出一行" — with every line that
was committed, and the attempt interrupted unless the moment fell after its end.
"""

from __future__ import annotations

import os
import random
import sys

import pytest

from simulator.records.store import open_store

from records_helpers import EXAM, kefu, write_replies

RUNS = 30
WAYS = ("KILL", "TERM", "INT", "FULL")


@pytest.fixture(scope="module", autouse=True)
def _warm():
    import scoring

    scoring.warm_up()  # loaded once here, inherited by every forked child


def _run_child(db_url: str, replies: list[str], run: int, at: int, how: str) -> int:
    pid = os.fork()
    if pid == 0:  # the child: take the exam, stopped at crash point `at`
        code = 99
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            os.environ["KEFU_CRASH_AT"], os.environ["KEFU_CRASH_HOW"] = str(at), how
            from simulator.cli import main

            code = main(["exam", "run", EXAM, "--trainee", f"学员{run}", "--db", db_url, "--quiet",
                         "--replies", *replies])
        except BaseException:  # noqa: BLE001 - Ctrl+C in the child ends up here
            code = 130
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return status


def _points(db_url: str, replies: list[str], how: str) -> int:
    """How many crash points a whole attempt passes when stopped `how` (a child that is never stopped counts them)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 99
        try:
            os.close(read)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            os.environ["KEFU_CRASH_AT"], os.environ["KEFU_CRASH_HOW"] = str(10**9), how
            from simulator.cli import main
            from simulator.records import crashpoints

            code = main(["exam", "run", EXAM, "--trainee", f"计数{how}", "--db", db_url, "--quiet",
                         "--replies", *replies])
            os.write(write, str(crashpoints.passed()).encode())
        finally:
            os._exit(code)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read, "rb") as pipe:
        return int(pipe.read() or b"0")


def test_an_attempt_stopped_at_30_random_moments_verifies_every_time(db_url, tmp_path, capsys):
    if sys.platform != "linux":
        pytest.skip("fork and /proc are Linux")
    replies = write_replies(tmp_path / "r")
    with open_store(db_url) as store:  # the exam is published once, before any child runs
        from simulator.certify.attempt import exam_for_attempt
        from simulator.content.exams import load_exam_library

        library, exams = load_exam_library([])
        exam_for_attempt(store, library, exams, EXAM)
    # The moments are drawn over the attempt's own length (a whole one, counted first), a few past its end.
    points = {how: _points(db_url, replies, how) for how in WAYS}
    with open_store(db_url) as store:
        whole = store.attempts(trainee="计数KILL")[0]
    assert whole["status"] == "completed" and points["KILL"] > 20, (points, whole)
    rng = random.Random(19)
    seen = {"interrupted": 0, "completed": 0, "not begun": 0}
    for run in range(RUNS):
        how = WAYS[run % len(WAYS)]
        at = rng.randint(1, points[how] + 7)
        _run_child(db_url, replies, run, at, how)
        with open_store(db_url) as store:  # opening notices a vanished writer at once (its lock is free)
            attempts = store.attempts(trainee=f"学员{run}")
        if not attempts:  # stopped before the attempt's row was written: nothing began, nothing to verify
            assert at <= 3, (at, how, points)
            seen["not begun"] += 1
            continue
        [attempt] = attempts
        assert attempt["status"] in ("interrupted", "completed"), (at, how, attempt["status"])
        if at > points[how]:  # a moment after the attempt's last write cannot stop it
            assert attempt["status"] == "completed", (at, how, points)
        if how == "FULL" and at <= points[how]:  # every write a full disk fails is inside the attempt
            assert attempt["status"] == "interrupted", (at, how, points)
        seen[attempt["status"]] += 1
        if attempt["status"] == "interrupted" and how == "FULL":
            assert attempt["cause"] == "infrastructure"  # a full disk does not count against the trainee
        bundle = tmp_path / f"b{run}.json"
        assert kefu(capsys, "export", attempt["id"], "--db", db_url, "--out", str(bundle)).code == 0
        result = kefu(capsys, "verify", str(bundle), "--db", db_url)
        assert result.code == 0, (at, how, result.out)
        assert "成立" in result.out and "重放多出" not in result.out
    assert seen["interrupted"] >= 20, (seen, points)  # most moments fall inside the attempt
