"""Issue 21 §2: a broken trainer lexicon ($KEFU_LEXICON) stops `kefu exam run` before an attempt
begins (nothing recorded, nothing counted) and `kefu lint` reports it at its line."""

from __future__ import annotations

from records_helpers import kefu, run_exam, write_replies

from simulator.records.store import open_store

DEEP = "apology:\n  - rule: mine\n    patterns: ['" + "(" * 1000 + "抱歉" + ")" * 1000 + "']\n"


def test_a_broken_lexicon_stops_the_exam_before_an_attempt(tmp_path, capsys, monkeypatch):
    lexicon = tmp_path / "mine.yaml"
    lexicon.write_text(DEEP, encoding="utf-8")
    monkeypatch.setenv("KEFU_LEXICON", str(lexicon))
    db = str(tmp_path / "records" / "kefu.db")
    result = run_exam(capsys, db, "张三", write_replies(tmp_path / "replies"))
    assert result.code == 2
    assert f"{lexicon}:2:1: 词库：apology/mine: 正则的括号嵌套太深" in result.err
    assert "考试没有开始" in result.err and "Traceback" not in result.err
    with open_store(db) as store:
        assert store.attempts() == []
    lint = kefu(capsys, "lint", "scenarios/lost-parcel.yaml")
    assert lint.code == 1 and f"{lexicon}:2:1: 词库：apology/mine: 正则的括号嵌套太深" in lint.out


def test_kefu_lint_checks_a_lexicon_file_named_on_the_command_line(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("KEFU_LEXICON", raising=False)
    broken = tmp_path / "broken.yaml"
    broken.write_text(DEEP, encoding="utf-8")
    fine = tmp_path / "fine.yaml"
    fine.write_text("apology:\n  - rule: mine\n    patterns: ['抱歉\\\\D']\n", encoding="utf-8")
    bad = kefu(capsys, "lint", str(broken))
    assert bad.code == 1 and f"{broken}:2:1: 词库：apology/mine: 正则的括号嵌套太深" in bad.out
    good = kefu(capsys, "lint", str(fine))
    assert good.code == 0 and "1 个文件，0 个错误" in good.out
