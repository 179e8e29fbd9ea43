"""Issue 10: random bytes and special files fed to every command's inputs never end in a traceback.

Each input — `run --replies`, `score FILE`, `score --eval FILE`, `lint PATH`, `check PATH`, and
stdin for `run --replies -` and `score` — gets every special file (/dev/zero, /dev/null, a FIFO
whose writer writes and closes, a folder, a missing file, a 20 MB file) and a few hypothesis-drawn
byte strings. The real program runs in a subprocess with a timeout and a memory limit (an
unbounded read fails the test instead of eating the machine).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60
MEMORY_LIMIT = 1536 * 1024 * 1024  # far above what any command needs; far below "read /dev/zero whole"

# Each input: how the command is called with the input path P, and the exit codes it may end with.
TARGETS = {
    "run --replies": (["run", "wig-wrong-color", "--replies", "{P}"], {0, 1, 2}),
    "score FILE": (["score", "{P}"], {0, 1, 2}),
    "score --eval": (["score", "--eval", "{P}"], {0, 2}),
    "lint PATH": (["lint", "{P}"], {0, 1, 2}),
    "check PATH": (["check", "{P}"], {0, 1, 2}),
}
STDIN_TARGETS = {
    "run --replies -": (["run", "wig-wrong-color", "--replies", "-"], {0, 1, 2}),
    "score <stdin": (["score"], {0, 1, 2}),
}
SPECIALS = ("/dev/zero", "/dev/null", "fifo", "folder", "missing", "20 MB")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_kefu(args: list[str], stdin=subprocess.DEVNULL, input: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "KEFU_CONTENT": ""}
    env.pop("KEFU_LEXICON", None)
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args], cwd=ROOT, env=env, timeout=TIMEOUT,
        stdin=None if input is not None else stdin, input=input, capture_output=True, preexec_fn=_limit_memory,
    )


def check_result(name: str, proc: subprocess.CompletedProcess, allowed: set[int]) -> None:
    err = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, f"{name}:\n{err}"
    assert proc.returncode in allowed, f"{name}: exit {proc.returncode}\n{err[-2000:]}"


def _with_path(args: list[str], path: str) -> list[str]:
    return [path if a == "{P}" else a for a in args]


def _content_file(folder: Path, name: str, data: bytes) -> Path:
    """A file where lint and check read it: a .yaml file in a scenarios/ folder."""
    scenarios = folder / "scenarios"
    scenarios.mkdir(parents=True, exist_ok=True)
    path = scenarios / name
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def twenty_mb(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("big")
    line = b"x" * 999 + b"\n"  # 20 000 lines of 1 000 bytes: long enough, and not one endless line
    return _content_file(folder, "big.yaml", line * 20_000)


def _special_path(kind: str, tmp_path: Path, twenty_mb: Path) -> str:
    if kind in ("/dev/zero", "/dev/null"):
        return kind
    if kind == "folder":
        (tmp_path / "empty").mkdir()
        return str(tmp_path / "empty")
    if kind == "missing":
        return str(tmp_path / "no-such-file.yaml")
    if kind == "20 MB":
        return str(twenty_mb)
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", SPECIALS)
@pytest.mark.parametrize("target", sorted(TARGETS))
def test_special_files_as_input(target, kind, tmp_path, twenty_mb):
    args, allowed = TARGETS[target]
    if kind != "fifo":
        check_result(f"{target} {kind}", run_kefu(_with_path(args, _special_path(kind, tmp_path, twenty_mb))), allowed)
        return
    fifo = tmp_path / "scenarios" / "fifo.yaml"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    # The writer opens the FIFO (waiting for a reader), writes a little and closes; a command that
    # never opens it (lint and check skip what is not a regular file) leaves it waiting: killed below.
    writer = subprocess.Popen(
        [sys.executable, "-c", "import sys; f = open(sys.argv[1], 'wb'); f.write(b'[+5s] hi\\n{\"text\": 1}\\n'); f.close()",
         str(fifo)],
        stderr=subprocess.DEVNULL,
    )
    try:
        proc = run_kefu(_with_path(args, str(fifo)))
    finally:
        writer.kill()
        writer.wait(timeout=TIMEOUT)
    check_result(f"{target} fifo", proc, allowed)


@pytest.mark.parametrize("kind", ["/dev/zero", "/dev/null", "closed"])
@pytest.mark.parametrize("target", sorted(STDIN_TARGETS))
def test_special_stdin(target, kind):
    args, allowed = STDIN_TARGETS[target]
    if kind == "closed":
        proc = subprocess.run(
            [sys.executable, "-m", "simulator", *args], cwd=ROOT, timeout=TIMEOUT, capture_output=False,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            preexec_fn=lambda: (_limit_memory(), os.close(0)), env={**os.environ, "KEFU_CONTENT": ""},
        )
    else:
        with open(kind, "rb") as stream:
            proc = run_kefu(args, stdin=stream)
    check_result(f"{target} {kind}", proc, allowed)


# Random bytes: raw, and text (some with lone surrogates, i.e. invalid UTF-8) with JSON-, YAML- and
# time-prefix-like pieces, so the parsers get past their first byte now and then.
_PIECES = st.sampled_from(["[+45s] ", "［＋４５ｓ］", "[+nans]", "{\"text\": ", "\"}", "id: x\n", "- ", ":", "\n", "\r",
                           "\u2028", "\u0085", "\ufeff", "\x00", "&a ", "*a", "!!python/object ", "抱歉"])
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=20).map("".join)
RANDOM_INPUT = st.one_of(st.binary(max_size=600), _TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")))
FUZZ = settings(max_examples=6, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.mark.parametrize("target", sorted(TARGETS))
@FUZZ
@given(data=RANDOM_INPUT)
def test_random_bytes_as_input(target, data, tmp_path_factory):
    args, allowed = TARGETS[target]
    path = _content_file(tmp_path_factory.mktemp("fuzz"), "fuzz.yaml", data)
    check_result(f"{target} {data[:60]!r}", run_kefu(_with_path(args, str(path))), allowed)


@pytest.mark.parametrize("target", sorted(STDIN_TARGETS))
@FUZZ
@given(data=RANDOM_INPUT)
def test_random_bytes_on_stdin(target, data):
    args, allowed = STDIN_TARGETS[target]
    check_result(f"{target} {data[:60]!r}", run_kefu(args, input=data), allowed)
