"""`kefu play` start-up: content errors as path:line:col (exit 1, no traceback); a light import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from simulator.tui.launch import play_command

ROOT = Path(__file__).resolve().parents[2]


def broken_content(tmp_path: Path) -> Path:
    scenarios = tmp_path / "content" / "scenarios"
    scenarios.mkdir(parents=True)
    (scenarios / "broken.yaml").write_text("id: broken\ntitle: 坏的\ndifficulty: 9\n", encoding="utf-8")
    return tmp_path / "content"


def test_content_errors_are_listed_without_traceback(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("KEFU_CONTENT", raising=False)
    assert play_command(content_dirs=[broken_content(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "broken.yaml:" in err and "Traceback" not in err
    first = next(line for line in err.splitlines() if "broken.yaml" in line)
    path, line, col = first.split(":")[:3]
    assert path.endswith("broken.yaml") and line.isdigit() and col.isdigit()


def test_unknown_scenario(capsys, monkeypatch):
    monkeypatch.delenv("KEFU_CONTENT", raising=False)
    assert play_command(scenario="no-such-case") == 2
    assert "no-such-case" in capsys.readouterr().err


def test_cli_prints_content_errors(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "simulator", "play", "--content", str(broken_content(tmp_path))],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )
    assert proc.returncode == 1
    assert "broken.yaml:" in proc.stderr and "Traceback" not in proc.stderr


def test_importing_the_app_does_not_load_jieba():
    code = ("import sys, simulator.tui.app, simulator.tui.launch, simulator.tui.screens.chat, "
            "simulator.tui.screens.scorecard, simulator.engine; "
            "print('jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
