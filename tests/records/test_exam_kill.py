"""`kill -9` in the middle of an attempt: the attempt is interrupted, counted, every sent turn kept."""

from __future__ import annotations

import queue
import signal
import subprocess
import threading

from simulator.records.store import open_store

from records_helpers import EXAM, REPLIES, kefu_process, write_replies

LINE_TIMEOUT = 120.0  # upper bound for the process to report a recorded reply (first jieba load)


def _lines(stream) -> queue.Queue:
    lines: queue.Queue = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def test_kill_9_mid_attempt_leaves_it_interrupted_with_every_sent_turn(db_url, tmp_path):
    later = write_replies(tmp_path / "r", count=2)
    proc = kefu_process("exam", "run", EXAM, "--trainee", "张三", "--db", db_url, "--replies", "-", *later,
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    progress = _lines(proc.stderr)
    recorded = 0
    try:
        for reply in REPLIES[:2]:
            proc.stdin.write(reply + "\n")
            proc.stdin.flush()
            line = progress.get(timeout=LINE_TIMEOUT)
            while line is not None and not line.startswith("第 "):  # the pass rules and the published note come first
                line = progress.get(timeout=LINE_TIMEOUT)
            assert line is not None, "kefu exited early"
            if "已记录" not in line:
                break  # the customer ended the conversation: nothing more is read from stdin
            recorded += 1
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert recorded >= 1
    with open_store(db_url) as store:  # opening it notices the writer is gone
        [attempt] = store.attempts(exam_id=EXAM, trainee="张三")
        record = store.attempt(attempt["id"])
        assert store.attempts_used("张三", EXAM) == 1
    assert record["status"] == "interrupted"
    first = record["sessions"][0]
    assert first["status"] in ("interrupted", "completed")
    sent = [t["text"] for t in first["turns"] if t["role"] == "trainee"]
    assert sent == [r.split("] ", 1)[1] for r in REPLIES[:recorded]]
    # The customer's answer to each sent reply was committed with it.
    assert first["turns"][-1]["role"] == "customer"
