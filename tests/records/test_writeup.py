"""`kefu writeup ATTEMPT --out FILE.md`: the annotated conversation as Markdown for the case library."""

from __future__ import annotations

from desk_helpers import XSS, fixed_clock, small_cohort
from records_helpers import kefu

from simulator.records.store import open_store


def test_writeup_has_every_line_the_comments_at_their_turn_and_both_scores(db_url, tmp_path, capsys):
    with open_store(db_url, now=fixed_clock) as store:
        item = small_cohort(store)[0]
        attempt = store.attempt(item.id)
        turns = attempt["sessions"][0]["turns"]
        target = turns[1]
        store.add_comment(item.id, target["id"], "组长", "这里要先安抚情绪")
        store.add_verdict(item.id, "组长", "收尾不完整")
        store.add_override(item.id, "组长", 72, True, "复核后")
    out = tmp_path / "case.md"
    result = kefu(capsys, "writeup", item.id[:10], "--db", db_url, "--out", str(out))
    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("- **") and f"+{target['at']:.0f}s" in line)
    assert "这里要先安抚情绪" in lines[at + 1] or "这里要先安抚情绪" in lines[at + 2]  # under its turn
    assert "收尾不完整" in text and f"得分：{attempt['total']}（组长改为 72，理由：复核后）" in text
    assert sum(line.startswith("- **") for line in lines) == sum(len(s["turns"]) for s in attempt["sessions"])
    assert XSS not in text and "&lt;script&gt;" in text  # no raw HTML from a reply in the case library


def test_writeup_of_an_unknown_attempt_is_a_message(db_url, tmp_path, capsys):
    with open_store(db_url, now=fixed_clock) as store:
        small_cohort(store)
    result = kefu(capsys, "writeup", "ffffffff", "--db", db_url, "--out", str(tmp_path / "x.md"))
    assert result.code == 1 and "没有这条考试记录" in result.err and "Traceback" not in result.err
    assert not (tmp_path / "x.md").exists()
