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

import pytest

from simulator.cli import main

KEYS = ["id", "apology", "empathy", "question", "question_kind", "solution", "remedies", "violations",
        "asks_preference", "thanks", "commitment", "issue_topics", "fact_topics", "repeats_turn",
        "owns_fault", "breezy", "brush_off", "doubts_customer", "asks_review", "offers_choice", "address",  # issue 18 §3
        "slots",  # issue 17 §1
        "length", "truncated", "evidence"]


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
    assert out[1]["error"].startswith("第 2 行：不是合法的 JSON")
    assert out[2]["error"] == "第 3 行：应当是一个 JSON 对象，这里却是 list"
    assert errors["no-text"] == "第 4 行：缺少 'text'"
    assert errors["num"].startswith("第 5 行：'text' 必须是字符串")
    assert errors["ctx"].startswith("第 6 行：context 不对：previous_replies")
    assert errors["ctx2"].startswith("第 7 行：'context' 必须是对象")
    assert out[-1]["violations"] == ["insult"]  # 001 四.1, after all the bad lines


def test_missing_file_exits_2(capsys, tmp_path):
    code = main(["score", str(tmp_path / "nope.jsonl")])
    assert code == 2
    err = capsys.readouterr().err
    assert "无法读取输入" in err and "文件不存在" in err


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


def test_a_repeated_reply_reads_the_same_under_its_own_id(capsys, tmp_path):
    # A helpdesk export repeats its canned replies; each line still gets its own id, first, and the
    # same reading as the first time; with a context a reply is read again (the context may change it).
    canned = "您好，很抱歉给您带来不便！请把订单号私信给我们，我们24小时内为您核实处理。"
    lines = [json.dumps({"id": i, "text": canned}, ensure_ascii=False) for i in ("a", "b", 3)]
    lines.append(json.dumps({"id": "c", "text": canned, "context": {"case_terms": ["订单号"]}}, ensure_ascii=False))
    code, out, _ = run(capsys, tmp_path, lines)
    assert code == 0 and [r["id"] for r in out] == ["a", "b", 3, "c"]
    assert all(list(r) == KEYS for r in out)
    first = {k: v for k, v in out[0].items() if k != "id"}
    assert all({k: v for k, v in r.items() if k != "id"} == first for r in out[1:3])
    assert first["apology"] == 2 and first["solution"] >= 1
    assert out[3]["id"] == "c" and out[3]["apology"] == 2


def test_into_a_file_every_result_is_written(tmp_path):
    # Into a file the results are buffered, not flushed a line at a time: all of them still arrive.
    rows = [json.dumps({"id": n, "text": f"抱歉，订单{n}我们今天给您补发"}, ensure_ascii=False) for n in range(300)]
    (tmp_path / "in.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with open(tmp_path / "out.jsonl", "w", encoding="utf-8") as out:
        subprocess.run([sys.executable, "-m", "simulator", "score", str(tmp_path / "in.jsonl")], stdout=out, check=True)
    got = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in got] == list(range(300))


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
    assert out[1]["error"].startswith("第 2 行：不是合法的 JSON")


def test_a_broken_trainer_lexicon_is_reported_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("violation: [ {rule: x, code: insult, patterns: ['(']} ]\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "simulator", "score"], input='{"text": "好的"}\n',
                          capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, "KEFU_LEXICON": str(bad)})
    assert proc.returncode == 2
    assert "bad.yaml" in proc.stderr and "Traceback" not in proc.stderr


def _strict_loads(line: str):
    """json.loads that refuses NaN / Infinity / -Infinity, as a strict JSON reader does."""
    def refuse(name):
        raise AssertionError(f"not JSON: {name}")
    return json.loads(line, parse_constant=refuse)


def test_deeply_nested_lines_and_huge_numbers_are_line_errors_not_crashes(capsys, tmp_path):
    # '['*100000 made json.loads raise RecursionError and an id of 5000 digits a ValueError
    # (int max str digits): both ended the run with a traceback instead of an error line.
    lines = [
        "[" * 100000,
        '{"id": ' + "1" * 5000 + ', "text": "抱歉亲"}',
        '{"id": 1, "text": "x", "context": {"previous_replies": ' + "[" * 100000 + "}}",
        '{"id": 2, "text": "非常抱歉"}',
    ]
    code, out, _ = run(capsys, tmp_path, lines)
    assert code == 1
    assert len(out) == 4
    for n, o in enumerate(out[:3], 1):
        assert o["id"] is None and o["error"].startswith(f"第 {n} 行：不是合法的 JSON"), o
    assert set(out[0]) == {"id", "error"}
    assert out[0]["error"] == "第 1 行：不是合法的 JSON：嵌套太深"
    assert out[1]["error"] == "第 2 行：不是合法的 JSON：整数超过 4300 位"
    assert out[3]["id"] == 2 and out[3]["apology"] == 2  # the run went on


def test_output_is_strict_json_without_nan_or_infinity(capsys, tmp_path):
    # An id of NaN / Infinity / -Infinity was echoed as bare NaN (not JSON): rejected as a line error now.
    lines = [
        '{"id": NaN, "text": "抱歉"}',
        '{"id": Infinity, "text": "抱歉"}',
        '{"id": "x", "text": "抱歉", "context": {"customer_message": -Infinity}}',
        '{"id": 4, "text": "抱歉"}',
        '{"id": 5, "text": "给您补偿' + "9" * 400 + '元"}',  # an amount too big for a float
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = main(["score", str(path)])
    out = [_strict_loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 1
    assert [o["id"] for o in out] == [None, None, None, 4, 5]
    assert out[0]["error"] == "第 1 行：不是合法的 JSON：NaN is not allowed"
    assert out[1]["error"] == "第 2 行：不是合法的 JSON：Infinity is not allowed"
    assert out[2]["error"] == "第 3 行：不是合法的 JSON：-Infinity is not allowed"
    assert out[3]["apology"] == 1
    assert out[4]["remedies"][0]["kind"] == "compensation" and out[4]["remedies"][0]["amount_yuan"] is None


def _eval_file(tmp_path, row_or_line) -> str:
    good = {"id": "ok", "text": "非常抱歉", "labels": {"apology": 2, "empathy": 0, "question": 0, "solution": 0,
                                                 "violations": []}}
    line = row_or_line if isinstance(row_or_line, str) else json.dumps(row_or_line, ensure_ascii=False)
    path = tmp_path / "dev.jsonl"
    path.write_text(json.dumps(good, ensure_ascii=False) + "\n" + line + "\n", encoding="utf-8")
    return str(path)


def _row(labels=None, **extra) -> dict:
    base = {"apology": 0, "empathy": 0, "question": 0, "solution": 0, "violations": []}
    return {"id": "bad", "text": "好的", "labels": {**base, **(labels or {})}, **extra}


BAD_ROWS = [
    (_row({"apology": "x"}), "labels.apology"),
    (_row({"apology": None}), "labels.apology"),
    ('{"text": "好的", "labels": {"apology": 1e999}}', "labels.apology"),
    (_row({"empathy": 3}), "labels.empathy"),
    (_row({"question": -1}), "labels.question"),
    (_row({"solution": True}), "labels.solution"),
    (_row({"solution": 1.0}), "labels.solution"),
    (_row({"violations": 5}), "labels.violations"),
    (_row({"violations": None}), "labels.violations"),
    (_row({"violations": [{"code": "insult"}]}), "labels.violations"),
    (_row({"violations": ["rude"]}), "labels.violations"),
    (_row(context=["not", "an", "object"]), "context"),
    (_row(context={"customer_message": 5}), "context.customer_message"),
    (_row(context={"issue_topics": [{"id": "a", "keywords": "颜色"}]}), "context.issue_topics.0.keywords"),
    (_row(context={"previous_replies": "not a list"}), "context.previous_replies"),
    ('{"text": "好的", "labels": ' + "[" * 100000, "不是合法的 JSON"),
    ('{"text": "好的", "labels": {"apology": ' + "1" * 5000 + "}}", "不是合法的 JSON"),
    ('{"text": "好的", "labels": {"apology": NaN}}', "不是合法的 JSON"),
]


@pytest.mark.parametrize("row, field", BAD_ROWS, ids=[f"{i}-{field}" for i, (_, field) in enumerate(BAD_ROWS)])
def test_eval_rejects_badly_typed_labels_with_the_line_and_field(capsys, tmp_path, row, field):
    path = _eval_file(tmp_path, row)
    assert main(["score", "--eval", path]) == 2  # used to crash with a traceback (TypeError, OverflowError...)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"kefu score --eval：{path}:2: {field}"), captured.err


def test_eval_error_message_says_what_is_allowed(capsys, tmp_path):
    assert main(["score", "--eval", _eval_file(tmp_path, _row({"apology": "x"}))]) == 2
    assert "labels.apology: must be 0, 1 or 2" in capsys.readouterr().err
    assert main(["score", "--eval", _eval_file(tmp_path, _row({"violations": ["rude"]}))]) == 2
    err = capsys.readouterr().err
    assert "labels.violations: must be a list of violation codes" in err and "insult" in err


def test_eval_bad_labels_give_no_traceback_in_a_real_process(tmp_path):
    path = _eval_file(tmp_path, _row({"violations": 5}))
    proc = subprocess.run([sys.executable, "-m", "simulator", "score", "--eval", path],
                          capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 2
    assert "labels.violations" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_eval_on_a_file_without_rows_is_an_error(capsys, tmp_path, content):
    # An empty file used to score P/R/F1 1.000 everywhere and exit 0.
    path = tmp_path / "dev.jsonl"
    path.write_text(content, encoding="utf-8")
    assert main(["score", "--eval", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{path} 里没有标注行" in captured.err


def test_eval_accepts_missing_optional_fields(capsys, tmp_path):
    # Levels default to 0, violations to [], context to none (the documented row shape).
    path = _eval_file(tmp_path, {"text": "好的", "labels": {"apology": 0}, "context": None})
    assert main(["score", "--eval", path]) == 0
    assert "rows: 2" in capsys.readouterr().out


def test_a_result_that_cannot_be_written_as_json_is_an_error_line(capsys, tmp_path, monkeypatch):
    # Last line of defence: whatever the record holds, the output stays strict JSON, one line per input.
    import scoring.jsonl

    monkeypatch.setattr(scoring.jsonl, "result_record", lambda id_, analysis: {"id": id_, "x": float("nan")})
    code, out, _ = run(capsys, tmp_path, ['{"id": 1, "text": "抱歉"}'])
    assert code == 1
    assert out == [{"id": None, "error": "第 1 行：结果写不出来：含有 JSON 不允许的数值（NaN 或无穷大）"}]


def test_a_byte_order_mark_on_a_later_line_is_a_bad_line_and_the_run_goes_on(capsys, tmp_path):
    # Only the file's first line may start with a BOM (it is dropped); on a later line it is bad JSON,
    # with json's own reason (the line decoder is shared between lines, json.loads' check kept).
    code, out, _err = run(capsys, tmp_path, ['{"id": 1, "text": "您好"}', '\ufeff{"id": 2, "text": "您好"}',
                                             '{"id": 3, "text": "非常抱歉"}'])
    assert code == 1
    assert [o["id"] for o in out] == [1, None, 3]
    assert out[1]["error"].startswith("第 2 行：") and "Unexpected UTF-8 BOM" in out[1]["error"]
    assert out[2]["apology"] >= 1


def test_each_line_is_encoded_as_the_strict_encoder_encodes_it():
    """kefu score's line encoder (one C encoder built once, scoring.jsonl._line_encoder) writes what the strict
    JSONEncoder writes, refuses what it refuses, and is that encoder itself where no C encoder can be built."""
    import scoring.jsonl as jsonl
    from scoring import analyze

    records = [jsonl.result_record(i, analyze(t)) for i, t in enumerate(
        ["非常抱歉，给您全额退款159元，24小时内到账", "亲~这个颜色本来就是这样的哈", "您好"])]
    records += [{"id": {"a": [1, 2.5, None, True, "é\u2028"]}, "x": 1e300}, {"id": "中文", "n": -0.0}]
    for record in records:
        assert jsonl._encode_line(record) == jsonl._ENCODER.encode(record)
    for bad in ({"id": float("nan")}, {"id": float("inf")}):
        with pytest.raises(ValueError):
            jsonl._encode_line(bad)
    deep: list = []
    for _ in range(100000):
        deep = [deep]
    with pytest.raises(RecursionError):
        jsonl._encode_line({"id": deep})
    saved = jsonl.json.encoder.c_make_encoder
    try:
        jsonl.json.encoder.c_make_encoder = None
        assert jsonl._line_encoder() == jsonl._ENCODER.encode
    finally:
        jsonl.json.encoder.c_make_encoder = saved
