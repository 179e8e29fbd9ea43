"""Issue 10: every command survives its environment — the reproductions, each run as a user would.

Streams matter here, so each case runs the real program in a subprocess (`python -m simulator`,
the same as `kefu`) with the stream closed, full, in another encoding, or fed from a device.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIRST = "非常抱歉亲，给您添麻烦了！"
SECOND = "您希望换货还是退款呢？"
TIMEOUT = 120
has_dev_full = pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")


def kefu(*args: str, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, env: dict | None = None,
         close: tuple[int, ...] = (), input: bytes | None = None) -> subprocess.CompletedProcess:
    """Run `kefu ARGS` (bytes out); `close` names standard fds the program starts without."""
    environment = {**os.environ, "KEFU_CONTENT": "", **(env or {})}
    environment.pop("KEFU_LEXICON", None)

    def close_fds() -> None:
        for fd in close:
            os.close(fd)

    return subprocess.run(
        [sys.executable, "-m", "simulator", *args], cwd=ROOT, env=environment, timeout=TIMEOUT,
        stdin=None if input is not None else stdin, stdout=stdout, stderr=subprocess.PIPE, input=input,
        preexec_fn=close_fds if close else None,
    )


def err_of(proc: subprocess.CompletedProcess) -> str:
    err = proc.stderr.decode("utf-8")
    assert "Traceback" not in err, err
    return err


@pytest.fixture
def replies(tmp_path: Path) -> Path:
    path = tmp_path / "r.txt"
    path.write_text(f"{FIRST}\n[+45s] {SECOND}\n", encoding="utf-8")
    return path


@pytest.fixture
def jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "f.jsonl"
    path.write_text(json.dumps({"id": 1, "text": FIRST}, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def every_command(replies: Path, jsonl: Path) -> list[list[str]]:
    return [
        ["run", "wig-wrong-color", "--replies", str(replies)],
        ["score", str(jsonl)],
        ["check", str(ROOT / "scenarios" / "wig-wrong-color.yaml")],
        ["lint"],
        ["graph", "venting"],
        ["rubric"],
        ["schema"],
        ["--help"],
    ]


# ---- output that cannot be written -------------------------------------------------------------


@has_dev_full
def test_a_full_disk_is_one_chinese_line_and_exit_1_for_every_command(replies, jsonl):
    for args in every_command(replies, jsonl):
        with open("/dev/full", "wb") as full:
            proc = kefu(*args, stdout=full)
        assert proc.returncode == 1, (args, proc.stderr)
        assert err_of(proc).strip().splitlines()[-1] == "kefu: 无法写出结果：磁盘已满", args


@pytest.mark.parametrize("command", ["score", "run"])
def test_a_closed_stdout_is_a_message_and_a_failure_not_exit_0(command, replies, jsonl):
    args = ["score", str(jsonl)] if command == "score" else ["run", "wig-wrong-color", "--replies", str(replies)]
    proc = kefu(*args, close=(1,))
    assert proc.returncode == 1
    assert "kefu: 无法写出结果：标准输出已关闭" in err_of(proc)


def test_closed_stdout_and_stderr_still_fail_by_exit_status(replies):
    proc = kefu("run", "wig-wrong-color", "--replies", str(replies), close=(1, 2))
    assert proc.returncode == 1


def test_a_reader_that_goes_away_is_quiet():
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte: `kefu rubric | true`
    try:
        proc = kefu("rubric", stdout=write_end)
    finally:
        os.close(write_end)
    assert proc.returncode == 141  # as a program killed by SIGPIPE
    assert proc.stderr == b""


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "LANG": "C"}])
def test_any_locale_encoding_writes_utf8(env):
    proc = kefu("rubric", env=env)
    err_of(proc)
    assert proc.returncode == 0
    assert "评分标准" in proc.stdout.decode("utf-8")


def test_error_messages_are_utf8_too_under_an_ascii_locale(tmp_path):
    proc = kefu("score", str(tmp_path / "nope.jsonl"), env={"PYTHONIOENCODING": "ascii"})
    assert proc.returncode == 2
    assert "文件不存在" in err_of(proc)


# ---- input that cannot be read ----------------------------------------------------------------


@pytest.mark.parametrize("args", [["run", "wig-wrong-color", "--replies", "-"], ["score"]])
def test_a_closed_stdin_is_a_message(args):
    proc = kefu(*args, close=(0,))
    assert proc.returncode == 2
    assert "标准输入已关闭" in err_of(proc)


@pytest.mark.parametrize(
    "args", [["run", "wig-wrong-color", "--replies", "/dev/zero"], ["score", "/dev/zero"], ["score", "--eval", "/dev/zero"]]
)
def test_dev_zero_is_refused_not_read_forever(args):
    proc = kefu(*args)
    assert proc.returncode == 2
    assert "/dev/zero：是设备文件，不能作为输入" in err_of(proc)


def test_dev_zero_on_stdin_is_refused():
    with open("/dev/zero", "rb") as zero:
        proc = kefu("score", stdin=zero)
    assert proc.returncode == 2 and "标准输入：是设备文件" in err_of(proc)


def test_an_endless_line_through_a_pipe_stops_at_the_line_limit():
    proc = kefu("score", input=b"\0" * (3 * 1024 * 1024))
    assert proc.returncode == 2
    assert "标准输入:1: 这一行太长：超过每行 1 MB 的上限" in err_of(proc)


def test_a_replies_file_over_the_limit_names_the_limit(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes((FIRST + "\n").encode() * 60_000)  # about 2 MB
    proc = kefu("run", "wig-wrong-color", "--replies", str(big))
    assert proc.returncode == 2
    assert f"{big}：太大，超过 1 MB 的上限" in err_of(proc)


# ---- hangs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["play", "wig-wrong-color"], []])
def test_play_without_a_terminal_says_so_and_exits_2(args):
    proc = kefu(*args)  # stdin is /dev/null, stdout and stderr pipes: no terminal anywhere
    assert proc.returncode == 2
    err = err_of(proc)
    assert "练习室需要在终端里运行" in err and "kefu run" in err
    assert b"\x1b[" not in proc.stdout + proc.stderr  # no escape codes were drawn


@pytest.mark.parametrize("command", ["run", "score"])
def test_help_says_a_fifo_waits_for_its_writer(command):
    proc = kefu(command, "--help")
    assert proc.returncode == 0
    assert "FIFO" in proc.stdout.decode("utf-8")


def test_a_fifo_with_a_writer_is_read_like_a_pipe(tmp_path):
    fifo = tmp_path / "replies.fifo"
    os.mkfifo(fifo)
    writer = subprocess.Popen([sys.executable, "-c", "import sys; open(sys.argv[1], 'w', encoding='utf-8').write(sys.argv[2])",
                               str(fifo), f"{FIRST}\n"])
    try:
        proc = kefu("run", "wig-wrong-color", "--replies", str(fifo))
    finally:
        writer.wait(timeout=TIMEOUT)
    assert proc.returncode == 0, err_of(proc)
    turns = json.loads(proc.stdout)["turns"]
    assert [t["text"] for t in turns if t["role"] == "trainee"] == [FIRST]


# ---- wrong or lost ----------------------------------------------------------------------------


def trainee_lines(proc: subprocess.CompletedProcess) -> list[tuple[str, float]]:
    assert proc.returncode == 0, err_of(proc)
    return [(t["text"], t["seconds"]) for t in json.loads(proc.stdout)["turns"] if t["role"] == "trainee"]


def test_line_separators_inside_a_reply_do_not_split_it(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("非常抱歉\u2028亲\n[+45s] 您希望\u0085换货吗？\r\n[+nans] 你好\n", encoding="utf-8")
    proc = kefu("run", "wig-wrong-color", "--replies", str(path))
    assert proc.returncode == 2
    assert f"{path}:3: 看不懂时间前缀 [+nans]" in err_of(proc)  # line 3: no line was split in two
    path.write_text("非常抱歉\u2028亲\n[+45s] 您希望\u0085换货吗？\r\n", encoding="utf-8")
    assert trainee_lines(kefu("run", "wig-wrong-color", "--replies", str(path))) == [
        ("非常抱歉\u2028亲", 15), ("您希望\u0085换货吗？", 45)
    ]


def test_json_lines_split_on_newline_only(tmp_path):
    path = tmp_path / "f.jsonl"
    rows = [{"id": 1, "text": "非常抱歉\u2028亲"}, {"id": 2, "text": "您好\u0085"}]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    proc = kefu("score", str(path))
    assert proc.returncode == 0, err_of(proc)
    out = [json.loads(line) for line in proc.stdout.decode("utf-8").split("\n") if line]
    assert [r["id"] for r in out] == [1, 2] and out[0]["apology"] == 2


@pytest.mark.parametrize("prefix", ["［+45s］", "［＋45s］", "【+45s】", "［＋４５ｓ］", "〔+45s〕", "[＋45s]"])
def test_the_brackets_of_a_chinese_input_method_are_a_time_prefix(tmp_path, prefix):
    path = tmp_path / "r.txt"
    path.write_text(f"{FIRST}\n{prefix} {SECOND}\n", encoding="utf-8")
    assert trainee_lines(kefu("run", "wig-wrong-color", "--replies", str(path))) == [(FIRST, 15), (SECOND, 45)]


@pytest.mark.parametrize("prefix", ["[+45秒]", "【45s】", "［+45S］", "[+nans]", "［＋ｉｎｆｓ］"])
def test_a_near_miss_time_prefix_is_a_chinese_error_not_text(tmp_path, prefix):
    path = tmp_path / "r.txt"
    path.write_text(f"{FIRST}\n{prefix} {SECOND}\n", encoding="utf-8")
    proc = kefu("run", "wig-wrong-color", "--replies", str(path))
    assert proc.returncode == 2 and proc.stdout == b""
    assert f"{path}:2: 看不懂时间前缀 " in err_of(proc) and "请写成 [+45s]" in err_of(proc)


def test_lint_uses_the_same_parser_for_example_replies(tmp_path):
    import shutil

    src = ROOT / "scenarios" / "wig-wrong-color.yaml"
    text = src.read_text(encoding="utf-8")
    first = text.index("    replies:\n") + len("    replies:\n")
    bad = '      - "【+45s】 您好"\n      - "[+nans] 你好"\n'
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "wig-wrong-color.yaml").write_text(text[:first] + bad + text[first:], encoding="utf-8")
    shutil.copytree(ROOT / "personas", tmp_path / "personas")
    proc = kefu("lint", str(tmp_path))
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 1, out
    assert "看不懂时间前缀 [+nans]" in out
    assert out.count("看不懂时间前缀") == 1 and "，1 个错误，" in out  # 【+45s】 accepted, as by kefu run


def test_an_unrelated_broken_file_in_kefu_content_does_not_block_run(tmp_path, replies):
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "broken.yaml").write_text("id: broken\ntitle: [\n", encoding="utf-8")
    proc = kefu("run", "wig-wrong-color", "--replies", str(replies), env={"KEFU_CONTENT": str(tmp_path)})
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["scenario"] == "wig-wrong-color"
    err = err_of(proc)
    assert "警告" in err and "broken.yaml:" in err


def test_the_readme_headless_example_works_right_after_the_quick_start(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme[readme.index("## Quick start"):readme.index("## Using it")]
    assert ".venv/bin/kefu" in quick_start and "activate" not in quick_start  # installed, not activated
    block = readme[readme.index("Example, headless"):]
    block = block[block.index("```sh\n") + 6:]
    lines = block[:block.index("```")].strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith(".venv/bin/kefu run ")
    # The reader's clone after the quick start: .venv/bin/kefu (this checkout's, or a stand-in
    # running this interpreter when the suite runs from another environment).
    (tmp_path / ".venv").mkdir()
    installed = ROOT / ".venv" / "bin" / "kefu"
    if installed.exists():
        (tmp_path / ".venv" / "bin").symlink_to(installed.parent)
    else:
        (tmp_path / ".venv" / "bin").mkdir()
        shim = tmp_path / ".venv" / "bin" / "kefu"
        shim.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m simulator "$@"\n', encoding="utf-8")
        shim.chmod(0o755)
    environment = {**os.environ, "KEFU_CONTENT": "", "KEFU_HOME": str(tmp_path / "home")}
    proc = subprocess.run(["sh", "-c", "\n".join(lines)], cwd=tmp_path, env=environment, capture_output=True,
                          timeout=TIMEOUT)
    assert proc.returncode == 0, err_of(proc)
    assert json.loads(proc.stdout)["scenario"] == "wig-wrong-color"


def test_the_readme_says_how_to_quit():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Ctrl+Q" in readme and "quit" in readme.lower()


def test_the_chinese_readme_is_linked_first_and_has_the_same_quick_start():
    """Issue 21 §3: README.zh-CN.md, linked from README.md's first line, with the same two commands."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    chinese = (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")
    assert "README.zh-CN.md" in readme.splitlines()[0]

    def commands(text: str) -> list[str]:
        return [line for line in text.splitlines() if line.startswith("python3 -m venv .venv")]

    assert len(commands(readme)) == 2 and commands(chinese) == commands(readme)
    assert "培训师的第一步" in chinese and "kefu new scenario" in chinese
