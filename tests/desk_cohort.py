"""A small deterministic cohort for the desk TUI, report and export tests: written through the store's
bulk writer with a fixed clock and seed (the values are chosen data, not the scorer's output)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from simulator.records.bulk import EXAMS, AttemptData, synthetic_attempt, write_attempts

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
XSS = "<script>alert(1)</script>"


def fixed_clock():
    return NOW


def small_cohort(store, *, xss: bool = True) -> list[AttemptData]:
    """Four trainees, two exams: a pass, a fail then a pass, an interruption, one in progress."""
    rng = random.Random(12)
    plan = [("王芳", "第1期", EXAMS[0], "completed"), ("王芳", "第1期", EXAMS[1], "completed"),
            ("李雷", "第1期", EXAMS[0], "completed"), ("李雷", "第1期", EXAMS[0], "completed"),
            ("赵敏", "第2期", EXAMS[0], "interrupted"), ("周杰", "第2期", EXAMS[1], "in_progress")]
    items, numbers = [], {}
    for n, (name, cohort, exam, status) in enumerate(plan):
        key = (name, exam.id)
        numbers[key] = numbers.get(key, 0) + 1
        items.append(synthetic_attempt(rng, name, cohort, exam, numbers[key], START + timedelta(days=7 * n), status))
    if xss:
        turn = next(t for t in items[0].sessions[0].turns if t.role == "trainee")
        turn.text = f"您好{XSS}<b>粗体</b> & 谢谢"
    write_attempts(store, items)
    return items


async def settle(pilot, rounds: int = 30) -> None:
    """Let the desk's worker threads finish reading or writing, then let the screen catch up. Until two rounds in a
    row find no worker at work: one step may start the next (a dialog's callback starts a write, whose result starts
    a read of the table), and under load a later step may not have started when an earlier wait returns."""
    quiet = 0
    for _ in range(rounds):
        await pilot.pause()
        busy = any(not w.is_finished for w in pilot.app.workers)
        await pilot.app.workers.wait_for_complete()
        quiet = 0 if busy else quiet + 1
        if quiet == 2:
            break
    await pilot.pause()
