"""Smoke test of the real program in a real terminal (tmux): start, first line, reply, end, scorecard."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REPLY = "非常抱歉亲，给您添麻烦了！收到颜色不对的假发还晚到了三天，换作是我也会很失望。麻烦您提供一下订单号，我马上核实。"

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, timeout=10).stdout


def wait_for_screen(session: str, predicate, timeout: float = 30.0) -> str:
    """Poll capture-pane until predicate(screen text) holds; bounded by timeout."""
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if predicate(screen):
            return screen
        time.sleep(0.1)
    raise AssertionError(f"timed out; last screen:\n{screen}")


def test_play_in_tmux(tmp_path):
    session = f"kefu-smoke-{uuid.uuid4().hex[:8]}"
    env = {"KEFU_HOME": str(tmp_path / "home"), "KEFU_CONTENT": ""}
    command = " ".join([
        *(f"{k}={shlex.quote(v)}" for k, v in env.items()),
        shlex.quote(sys.executable), "-m", "simulator", "play", "wig-wrong-color", "--no-typing", "--seed", "3",
    ])
    for _ in range(3):  # a tmux server that is just shutting down may refuse a new session
        proc = subprocess.run(
            ["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", "-c", str(ROOT), command],
            capture_output=True, text=True, timeout=10,
            env={**os.environ, "TERM": os.environ.get("TERM", "xterm-256color")},
        )
        if proc.returncode == 0:
            break
        time.sleep(0.2)
    assert proc.returncode == 0, proc.stderr
    try:
        wait_for_screen(session, lambda s: "林小姐" in s and "深棕色" in s)
        tmux("send-keys", "-t", session, "-l", REPLY)
        wait_for_screen(session, lambda s: "马上核实" in s)
        tmux("send-keys", "-t", session, "Enter")
        screen = wait_for_screen(session, lambda s: "✓ 道歉" in s and "/500" in s)
        assert "0/500" in screen  # the reply box was emptied on send
        tmux("send-keys", "-t", session, "C-e")
        wait_for_screen(session, lambda s: "结束这次对话吗" in s)
        tmux("send-keys", "-t", session, "y")
        screen = wait_for_screen(session, lambda s: "总分" in s and "结果" in s)
        assert "提前结束" in screen
        tmux("send-keys", "-t", session, "C-q")
        deadline = time.monotonic() + 10
        while session in tmux("list-sessions", "-F", "#{session_name}") and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        tmux("kill-session", "-t", session)
