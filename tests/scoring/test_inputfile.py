"""Bounded reading of user-given inputs (scoring.inputfile): limits, special files, Chinese messages."""

from __future__ import annotations

import io
import os
import sys

import pytest

from scoring.inputfile import InputError, bounded_lines, open_input, read_bounded, size_text


def test_read_bounded_takes_exactly_the_limit(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"x" * 100)
    assert read_bounded(path, 100) == b"x" * 100
    with pytest.raises(InputError) as info:
        read_bounded(path, 99)
    assert info.value.message == f"{path}：太大，超过 99 字节 的上限"


def test_size_text():
    assert (size_text(1024 * 1024), size_text(64 * 1024 * 1024), size_text(512 * 1024)) == ("1 MB", "64 MB", "512 KB")


def test_lines_split_on_newline_only_and_are_bounded():
    stream = io.BytesIO("a\u2028b\nc\u0085d\re\n\nlast".encode())
    assert list(bounded_lines(stream, 100, "x")) == [
        (1, "a\u2028b".encode()), (2, "c\u0085d\re".encode()), (3, b""), (4, b"last")
    ]
    assert list(bounded_lines(io.BytesIO(b"12345\n123456"), 6, "x")) == [(1, b"12345"), (2, b"123456")]
    with pytest.raises(InputError, match=r"^x:2: 这一行太长：超过每行 6 字节 的上限$"):
        list(bounded_lines(io.BytesIO(b"ok\n1234567\n"), 6, "x"))
    with pytest.raises(InputError, match=r"x：太大，超过 10 字节 的上限（读到第 3 行时）"):
        list(bounded_lines(io.BytesIO(b"1234\n1234\n1234\n"), 6, "x", total=10))


@pytest.mark.parametrize(
    "path,message",
    [("/dev/zero", "/dev/zero：是设备文件，不能作为输入"), ("{tmp}", "{tmp}：这是文件夹，不是文件"),
     ("{tmp}/nope", "{tmp}/nope：文件不存在")],
)
def test_refused_inputs(tmp_path, path, message):
    path, message = path.format(tmp=tmp_path), message.format(tmp=tmp_path)
    with pytest.raises(InputError) as info:
        open_input(path)
    assert info.value.message.startswith(message)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads everything")
def test_an_unreadable_file(tmp_path):
    path = tmp_path / "secret"
    path.write_text("x")
    path.chmod(0)
    with pytest.raises(InputError, match="没有读取权限"):
        open_input(path)


def test_the_null_device_is_an_empty_input():
    assert read_bounded(os.devnull, 10) == b""


def test_a_closed_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(InputError, match="^标准输入已关闭"):
        open_input("-")


def test_a_text_only_stdin_is_read_as_utf8(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("您好\n"))
    assert read_bounded(None, 100) == "您好\n".encode()


def test_trainer_lexicons_are_read_with_a_bound(tmp_path):
    from scoring.lexicon import MAX_LEXICON_BYTES, LexiconError, load_lexicon

    big = tmp_path / "big.yaml"
    big.write_bytes(b"# x\n" * (MAX_LEXICON_BYTES // 4 + 1))
    with pytest.raises(LexiconError, match="big.yaml：太大，超过 1 MB 的上限"):
        load_lexicon([big])
    with pytest.raises(LexiconError, match="/dev/zero：是设备文件"):
        load_lexicon(["/dev/zero"])
    fifo = tmp_path / "folder" / "waits.yaml"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    load_lexicon([fifo.parent])  # a FIFO inside a lexicon folder is skipped, not waited on
