"""`kefu exam run`: an attempt played from replies files, one per scenario, recorded turn by turn.

Replies are timed like `kefu run` ('[+45s] …'); the exam's time limits end a conversation where
they fall (the reply over the limit is not sent). Files are read and checked before the attempt
starts; '-' (stdin) is read line by line as the attempt goes on.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator

from simulator.certify.attempt import ExamAttempt
from simulator.engine.replay import ReplyError, ScriptedReply, _ScriptClock, _wait, parse_reply, parse_replies

MAX_REPLIES_BYTES = 1024 * 1024

Progress = Callable[[str], None]


def read_replies_file(path: str) -> list[ScriptedReply]:
    """A replies file, read with a size bound; ReplyError (Chinese) when it cannot be used."""
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_REPLIES_BYTES + 1)
    except FileNotFoundError:
        raise ReplyError(f"找不到回复文件：{path}") from None
    except IsADirectoryError:
        raise ReplyError(f"{path} 是文件夹，不是回复文件") from None
    except OSError as exc:
        raise ReplyError(f"无法读取回复文件 {path}：{exc.strerror or exc}") from None
    if len(raw) > MAX_REPLIES_BYTES:
        raise ReplyError(f"回复文件 {path} 太大：最多 {MAX_REPLIES_BYTES // 1024} KB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReplyError(f"回复文件 {path} 不是 UTF-8 文本") from None
    try:
        return parse_replies(text.split("\n"))
    except ReplyError as exc:
        raise ReplyError(exc.where(path)) from None


def stdin_replies() -> Iterator[ScriptedReply]:
    """Replies from stdin, one a line, as they arrive."""
    stream = sys.stdin
    if stream is None:
        raise ReplyError("没有标准输入可读（--replies -）")
    for number, line in enumerate(stream, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            yield parse_reply(stripped, number)
        except ReplyError as exc:
            raise ReplyError(exc.where("<stdin>")) from None


def play_attempt(attempt: ExamAttempt, replies: list, progress: Progress | None = None) -> dict:
    """Play every scenario of the attempt with its replies; returns the attempt's document."""
    limits = attempt.exam.time_limit
    for position, scenario_id in enumerate(attempt.plan):
        clock = _ScriptClock()
        session = attempt.session(position, clock)
        session.start()
        sent = 0
        for reply in replies[position]:
            elapsed = session.clock.now() - session.t0
            reason, wait = None, reply.seconds
            if limits.reply_seconds is not None and wait > limits.reply_seconds:
                reason, wait = "reply_limit", limits.reply_seconds
            if limits.scenario_seconds is not None and elapsed + wait > limits.scenario_seconds:
                reason, wait = "scenario_limit", max(0.0, limits.scenario_seconds - elapsed)
            _wait(session, clock, wait)  # polled once a second, like the app's timer
            if session.finished:
                break
            if reason is not None:
                session.end(reason)
                break
            session.reply(reply.text)
            sent += 1
            if progress:
                progress(f"第 {position + 1} 题 {scenario_id}：已记录第 {sent} 句回复")
            if session.finished:
                break
        session.scorecard()
        if progress:
            progress(f"第 {position + 1} 题 {scenario_id}：结束（{session.outcome}）")
    return attempt.finish()
