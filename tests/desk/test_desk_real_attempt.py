"""The replay of a real attempt (`kefu exam run`, the real engine and scorer): every recorded line is
a step, the reader's acts are those recorded, each scorecard item shows at the reply it grades."""

from __future__ import annotations

import json

from desk_cohort import settle

from simulator.cli import main
from simulator.desk.replay import Replay
from simulator.desk.words import acts_of
from simulator.records.store import open_store
from simulator.tui.desk.replay import ReplayScreen

REPLIES = [
    "[+12s] 亲，非常抱歉给您添麻烦了，换作是我也会着急。请问您的订单号是多少？我马上帮您查。",
    "[+20s] 我们马上给您补发，运费由我们承担，并跟进物流第一时间告诉您，您看可以吗？",
    "[+15s] 再次向您道歉，感谢您的耐心，有任何问题随时找我。",
]


async def test_replay_of_a_real_exam_attempt(tmp_path, capsys):
    from simulator.tui.desk.app import DeskApp

    db = str(tmp_path / "real.db")
    files = []
    for n in range(3):
        path = tmp_path / f"r{n}.txt"
        path.write_text("\n".join(REPLIES) + "\n", encoding="utf-8")
        files.append(str(path))
    capsys.readouterr()
    assert main(["exam", "run", "after-sales-basic", "--trainee", "张三", "--db", db, "--quiet",
                 "--replies", *files]) == 0
    attempt_id = json.loads(capsys.readouterr().out)["attempt"]
    with open_store(db) as store:
        attempt = store.attempt(attempt_id)
        expected = Replay(attempt)
        assert len(expected.steps) == sum(len(s["turns"]) for s in attempt["sessions"])
        for session in attempt["sessions"]:
            items = [i for i in session["scorecard"]["items"] if i.get("turn") is not None]
            for item in items:  # each item at the reply it grades
                step = next(s for s in expected.steps if s.session is not None and s.session["id"] == session["id"]
                            and s.reply == item["turn"])
                assert item in step.items
        app = DeskApp(store, cases_dir=tmp_path / "cases", animations=False, attempt=attempt_id)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ReplayScreen)
            seen_items = 0
            for n, step in enumerate(expected.steps):
                detail = str(screen.query_one("#replay-turn").render())
                if step.reply is not None:
                    assert "读到的动作：" + ("、".join(acts_of(step.turn["analysis"])) or "（无）") in detail
                for item in step.items:
                    assert item["reason"] in detail
                    seen_items += 1
                if n < len(expected.steps) - 1:
                    await pilot.press("right")
            assert seen_items > 0 and seen_items == sum(len(s["scorecard"]["items"]) for s in attempt["sessions"])
            assert any(step.acts for step in expected.steps)  # the reader's real acts were recorded and shown
            assert screen.replay.position == len(expected.steps) - 1
