"""Helpers for the records tests: running the real `kefu` command in-process or as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

EXAM = "after-sales-basic"
EXAM_SCENARIOS = ["wig-wrong-color", "lost-parcel", "hotel-sea-view"]
REPLIES = [
    "[+12s] 亲，非常抱歉给您添麻烦了，换作是我也会着急。请问您的订单号是多少？我马上帮您查。",
    "[+20s] 我们马上给您补发，运费由我们承担，并跟进物流第一时间告诉您，您看可以吗？",
    "[+15s] 再次向您道歉，感谢您的耐心，有任何问题随时找我。",
]


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


def kefu(capsys, *args: str) -> Result:
    """Run `kefu ARGS` in this process; its exit status and what it printed."""
    from simulator.cli import main

    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def write_replies(folder: Path, lines=REPLIES, count: int = 3) -> list[str]:
    """One replies file per exam scenario."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"replies-{n}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def run_exam(capsys, db: str, trainee: str, replies: list[str], exam: str = EXAM) -> Result:
    return kefu(capsys, "exam", "run", exam, "--trainee", trainee, "--db", db, "--quiet", "--replies", *replies)


def kefu_process(*args: str, **popen) -> subprocess.Popen:
    """`kefu ARGS` as a real process (python -m simulator), UTF-8 pipes."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.Popen([sys.executable, "-m", "simulator", *args], env=env, text=True, encoding="utf-8",
                            **popen)
