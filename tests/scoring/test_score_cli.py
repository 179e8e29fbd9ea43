"""`kefu score` (scoring.jsonl): JSON lines in, one JSON line out per input line, errors per line.

The contract (issue "kefu score"): same order, id echoed (null if absent), the four levels as ints,
violations as code strings, evidence as {kind, rule, text, start, end}; a malformed line gives
{"id", "error": "line N: ..."} and the run goes on, exit 1; a missing file exits 2; blank lines are
skipped. Seeds: 000 (屏幕分辨率 excuse, 24 h reship), 001 (apology, forbidden phrases).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from simulator.cli import main

KEYS = ["id", "apology", "empathy", "question", "question_kind", "solution", "remedies", "violations",
        "asks_preference", "thanks", "commitment", "issue_topics", "fact_topics", "repeats_turn", "length",
        "truncated", "evidence"]


def run(capsys, tmp_path, lines: list[str]) -> tuple[int, list[dict], str]:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = main(["score", str(path)])
    captured = capsys.readouterr()
    return code, [json.loads(line) for line in captured.out.splitlines()], captured.err


def test_scores_every_line_in_order(capsys, tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "非常抱歉，给您添麻烦了！我们24小时内为您重新发出。"}, ensure_ascii=False),
        json.dumps({"text": "这个颜色可能是您手机屏幕分辨率的问题"}, ensure_ascii=False),  # 000: excuse
        json.dumps({"id": 7, "text": "您希望换货还是退款？",
                    "context": {"customer_message": "颜色不对！",
                                "issue_topics": [{"id": "color", "keywords": ["颜色", "换货"]}]}}, ensure_ascii=False),
    ]
    code, out, _ = run(capsys, tmp_path, lines)
    assert code == 0
    assert [o["id"] for o in out] == ["a", None, 7]
    for o in out:
        assert list(o) == KEYS  # stable key order
        for dim in ("apology", "empathy", "question", "solution"):
            assert isinstance(o[dim], int) and 0 <= o[dim] <= 2
    assert out[0]["apology"] == 2 and out[0]["solution"] == 2
    assert out[0]["remedies"][0] == {"kind": "reship", "amount_yuan": None, "percent": None, "full": False,
                                     "time_frame": "24小时内", "hours": 24.0}
    assert out[1]["violations"] == ["excuse"]
    ev = [e for e in out[1]["evidence"] if e["kind"] == "excuse"][0]
    assert set(ev) == {"kind", "rule", "text", "start", "end"} and "分辨率" in ev["text"]
    assert out[2]["issue_topics"] == ["color"] and out[2]["asks_preference"] is True


def test_malformed_lines_report_errors_and_processing_goes_on(capsys, tmp_path):
    lines = [
        '{"id": 1, "text": "抱歉亲"}',
        "{not json",
        '["a list"]',
        '{"id": "no-text"}',
        '{"id": "num", "text": 42}',
        '{"id": "ctx", "text": "好的", "context": {"previous_replies": "not a list"}}',
        '{"id": "ctx2", "text": "好的", "context": [1]}',
        "",  # blank lines are skipped: no output line
        '{"id": 9, "text": "你怎么那么笨"}',
    ]
    code, out, _ = run(capsys, tmp_path, lines)
    assert code == 1
    assert [o["id"] for o in out] == [1, None, None, "no-text", "num", "ctx", "ctx2", 9]
    errors = {o["id"]: o["error"] for o in out if "error" in o and o["id"] is not None}
    assert out[1]["error"].startswith("line 2: not valid JSON")
    assert out[2]["error"] == "line 3: expected a JSON object, got list"
    assert errors["no-text"] == "line 4: 'text' is missing"
    assert errors["num"].startswith("line 5: 'text' must be a string")
    assert errors["ctx"].startswith("line 6: bad context: previous_replies")
    assert errors["ctx2"].startswith("line 7: 'context' must be an object")
    assert out[-1]["violations"] == ["insult"]  # 001 四.1, after all the bad lines


def test_missing_file_exits_2(capsys, tmp_path):
    code = main(["score", str(tmp_path / "nope.jsonl")])
    assert code == 2
    assert "cannot read" in capsys.readouterr().err


def test_reads_stdin_and_streams():
    # Streaming: each result is flushed as soon as its line is read.
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "score"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, encoding="utf-8")
    assert proc.stdin and proc.stdout
    proc.stdin.write('{"id": "x", "text": "真的很抱歉"}\n')
    proc.stdin.flush()
    first = json.loads(proc.stdout.readline())  # would block forever without a flush per line
    assert first["id"] == "x" and first["apology"] == 2
    proc.stdin.write('{"id": "y", "text": "请稍等"}\n')
    proc.stdin.close()
    second = json.loads(proc.stdout.readline())
    assert second["violations"] == ["stall"]
    assert proc.wait(timeout=60) == 0


def test_eval_command_prints_the_report(capsys, tmp_path):
    rows = [
        {"id": "r1", "text": "非常抱歉", "labels": {"apology": 2, "empathy": 0, "question": 0, "solution": 0, "violations": []}},
        {"id": "r2", "text": "你怎么那么笨", "labels": {"apology": 0, "empathy": 0, "question": 0, "solution": 0,
                                                   "violations": ["insult"]}},
        {"id": "r3", "text": "好的", "labels": {"apology": 1, "empathy": 0, "question": 0, "solution": 0, "violations": []}},
    ]
    path = tmp_path / "dev.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    assert main(["score", "--eval", str(path)]) == 0
    out = capsys.readouterr().out
    assert "macro-F1" in out and "insult" in out and "any" in out
    assert "r3: 好的" in out and "'apology': '1->0'" in out  # the miss, with expected -> got


def test_eval_reports_a_broken_file(capsys, tmp_path):
    path = tmp_path / "dev.jsonl"
    path.write_text('{"text": "x"}\n', encoding="utf-8")
    assert main(["score", "--eval", str(path)]) == 2
    assert "labels" in capsys.readouterr().err


def test_undecodable_bytes_and_escaped_surrogates_do_not_crash(capsys, tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes('{"id": "\\ud800x", "text": "抱歉"}\n'.encode() + b"\xff\xfe broken\n")
    assert main(["score", str(path)]) == 1
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert out[0]["id"] == "\ufffdx" and out[0]["apology"] == 1
    assert out[1]["error"].startswith("line 2: not valid JSON")


def test_a_broken_trainer_lexicon_is_reported_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("violation: [ {rule: x, code: insult, patterns: ['(']} ]\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "simulator", "score"], input='{"text": "好的"}\n',
                          capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, "KEFU_LEXICON": str(bad)})
    assert proc.returncode == 2
    assert "bad.yaml" in proc.stderr and "Traceback" not in proc.stderr
