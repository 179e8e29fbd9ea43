"""`kefu writeup ATTEMPT --out FILE.md`: the annotated conversation as Markdown for the case library."""

from __future__ import annotations

from desk_cohort import XSS, fixed_clock, small_cohort
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


def test_the_trainee_sees_comments_verdict_and_both_scores_in_kefu_history(db_url, capsys):
    with open_store(db_url, now=fixed_clock) as store:
        items = small_cohort(store)
        mine = [a for a in items if a.trainee == "李雷"]
        turn = next(t for t in store.attempt(mine[0].id)["sessions"][0]["turns"] if t["role"] == "trainee")
        store.add_comment(mine[0].id, turn["id"], "王组长", "先问订单号")
        store.add_verdict(mine[0].id, "王组长", "态度很好")
        store.add_override(mine[1].id, "王组长", 77, True, "复核")
    result = kefu(capsys, "history", "--trainee", "李雷", "--db", db_url)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    heads = [line for line in lines if " 第 " in line and "得分" in line]
    assert len(heads) == len(mine)  # every attempt of this trainee, nobody else's
    assert f"得分 {mine[1].total}" in heads[1] and "组长改分 77" in heads[1]
    assert "组长结论：态度很好" in result.out and "组长批注（王组长）：先问订单号" in result.out
    assert turn["text"] in result.out  # the line the comment is on
    other = kefu(capsys, "history", "--trainee", "没人", "--db", db_url)
    assert other.code == 0 and "还没有考试记录" in other.out
