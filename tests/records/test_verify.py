"""`kefu export` and `kefu verify`: an untouched bundle holds; a changed score, reply, timing or
content does not; signatures; files that are not bundles."""

from __future__ import annotations

import copy
import json

import pytest

from records_helpers import kefu, run_exam, write_replies


@pytest.fixture
def bundle_file(db_url, tmp_path, capsys):
    doc = run_exam(capsys, db_url, "张三", write_replies(tmp_path / "r")).json()
    out = tmp_path / "attempt.json"
    result = kefu(capsys, "export", doc["attempt"][:10], "--db", db_url, "--out", str(out))
    assert result.code == 0, result.err
    return out


def _changed(path, change) -> str:
    bundle = json.loads(path.read_text(encoding="utf-8"))
    change(bundle)
    other = path.with_name("changed.json")
    other.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    return str(other)


def _trainee_turn(bundle, position=0, n=0):
    return [t for t in bundle["sessions"][position]["turns"] if t["role"] == "trainee"][n]


def test_an_untouched_bundle_holds(bundle_file, capsys):
    bundle = json.loads(bundle_file.read_text(encoding="utf-8"))
    assert bundle["format"] == "kefu-attempt-bundle"
    assert len(bundle["sessions"]) == 3 and bundle["content"]["attempt"]["exam"]["id"] == "after-sales-basic"
    assert all(t["at"] is not None for s in bundle["sessions"] for t in s["turns"])
    result = kefu(capsys, "verify", str(bundle_file))
    assert result.code == 0, result.out
    assert "成立" in result.out and "不成立" not in result.out


def test_a_changed_score_does_not_hold(bundle_file, capsys):
    def change(b):
        b["sessions"][0]["scorecard"]["total"] = (b["sessions"][0]["scorecard"]["total"] + 7) % 101
    result = kefu(capsys, "verify", _changed(bundle_file, change))
    assert result.code == 1 and "得分不同（total）" in result.out


def test_a_changed_attempt_total_does_not_hold(bundle_file, capsys):
    def change(b):
        b["attempt"]["total"] = 100 if b["attempt"]["total"] != 100 else 0
        b["attempt"]["passed"] = not b["attempt"]["passed"]
    result = kefu(capsys, "verify", _changed(bundle_file, change))
    assert result.code == 1 and "考试总分不同" in result.out and "是否通过不同" in result.out


def test_a_changed_reply_does_not_hold(bundle_file, capsys):
    def change(b):
        _trainee_turn(b, 1)["text"] = "这不归我们管，你自己去找快递。"
    result = kefu(capsys, "verify", _changed(bundle_file, change))
    assert result.code == 1 and "哈希链断了" in result.out


def test_a_changed_reply_with_a_recomputed_chain_still_does_not_hold(bundle_file, capsys):
    # A forger who also rewrites every hash: the replay re-grades the new reply and finds the old analysis.
    from simulator.records.hashing import chain_hash, header_start, seal_hash

    def change(b):
        _trainee_turn(b, 1)["text"] = "这不归我们管，你自己去找快递。"
        a = b["attempt"]
        prev = header_start(a)
        for s in b["sessions"]:
            for t in s["turns"]:
                t["prev_hash"], t["hash"] = prev, chain_hash(prev, s["position"], t, a["chain"])
                prev = t["hash"]
        a["last_hash"] = prev
        a["seal"] = seal_hash(prev, a)
    result = kefu(capsys, "verify", _changed(bundle_file, change))
    assert result.code == 1 and "哈希链" not in result.out and "分析不同" in result.out


def test_a_changed_timing_does_not_hold(bundle_file, capsys):
    def change(b):
        _trainee_turn(b, 0)["seconds"] += 40
    result = kefu(capsys, "verify", _changed(bundle_file, change))
    assert result.code == 1 and "用时不同" in result.out


def test_changed_content_does_not_hold(bundle_file, capsys):
    def change(b):
        blob = next(iter(b["content"]["scenarios"].values()))
        blob["scenario"]["policy"]["max_compensation_yuan"] = 99999
    result = kefu(capsys, "verify", _changed(bundle_file, change))
    assert result.code == 1 and "场景内容与记录的哈希不符" in result.out

    def exam_change(b):
        b["content"]["attempt"]["exam"]["pass_mark"]["total"] = 10
    result = kefu(capsys, "verify", _changed(bundle_file, exam_change))
    assert result.code == 1 and "考试内容与记录的哈希不符" in result.out


def test_a_deleted_turn_does_not_hold(bundle_file, capsys):
    def change(b):
        b["sessions"][2]["turns"].pop()
    result = kefu(capsys, "verify", _changed(bundle_file, change))
    assert result.code == 1


def test_signed_bundles(bundle_file, tmp_path, capsys):
    keys = tmp_path / "keys"
    made = kefu(capsys, "keys", "init", "--out", str(keys))
    assert made.code == 0 and "指纹" in made.out
    assert (keys / "kefu-signing.key").stat().st_mode & 0o077 == 0
    again = kefu(capsys, "keys", "init", "--out", str(keys))
    assert again.code == 1 and "不会覆盖" in again.err
    key, pub = str(keys / "kefu-signing.key"), str(keys / "kefu-signing.pub")
    signed = kefu(capsys, "verify", str(bundle_file), "--sign", "--key", key)
    assert signed.code == 0 and "已签名" in signed.out
    ok = kefu(capsys, "verify", str(bundle_file), "--trust", pub)
    assert ok.code == 0 and "签名成立" in ok.out

    def change(b):
        b["attempt"]["trainee"] = "李四"
    tampered = kefu(capsys, "verify", _changed(bundle_file, change), "--trust", pub)
    assert tampered.code == 1 and "签名不成立" in tampered.out
    other_keys = tmp_path / "other"
    kefu(capsys, "keys", "init", "--out", str(other_keys))
    wrong = kefu(capsys, "verify", str(bundle_file), "--trust", str(other_keys / "kefu-signing.pub"))
    assert wrong.code == 1 and "另一把密钥" in wrong.out


def test_unsigned_bundle_fails_when_a_signer_is_required(bundle_file, tmp_path, capsys):
    kefu(capsys, "keys", "init", "--out", str(tmp_path / "k"))
    result = kefu(capsys, "verify", str(bundle_file), "--trust", str(tmp_path / "k" / "kefu-signing.pub"))
    assert result.code == 1 and "没有签名" in result.out


@pytest.mark.parametrize("content", [b"", b"not json", b"[1, 2]", b'{"format": "other"}', b"\xff\xfe",
                                     b'{"format": "kefu-attempt-bundle", "version": 1}',
                                     b'{"format": "kefu-attempt-bundle", "version": 1, "attempt": [], '
                                     b'"content": {}, "sessions": {}}'])
def test_files_that_are_not_bundles_are_messages(tmp_path, capsys, content):
    path = tmp_path / "x.json"
    path.write_bytes(content)
    result = kefu(capsys, "verify", str(path))
    assert result.code == 1 and "Traceback" not in result.err + result.out
    assert "不是 kefu 的考试记录包" in result.err or "结构不完整" in result.out


def test_special_files_and_missing_files(tmp_path, capsys):
    import os

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    assert kefu(capsys, "verify", str(fifo)).code == 1
    assert kefu(capsys, "verify", "/dev/zero").code == 1
    missing = kefu(capsys, "verify", str(tmp_path / "none.json"))
    assert missing.code == 2 and "找不到文件" in missing.err


def test_export_of_an_unknown_attempt(db_url, tmp_path, capsys):
    kefu(capsys, "db", "upgrade", "--db", db_url)  # an existing, empty records database (reading never creates one)
    result = kefu(capsys, "export", "deadbeef", "--db", db_url, "--out", str(tmp_path / "x.json"))
    assert result.code == 1 and "没有这条考试记录" in result.err
    assert not (tmp_path / "x.json").exists()


def test_export_to_an_unwritable_place(bundle_file, db_url, capsys):
    bundle = json.loads(bundle_file.read_text(encoding="utf-8"))
    result = kefu(capsys, "export", bundle["attempt"]["id"], "--db", db_url, "--out", "/dev/full/x.json")
    assert result.code == 1 and "无法写入" in result.err
