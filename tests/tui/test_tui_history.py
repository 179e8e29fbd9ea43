"""Issue 12: the trainee's own history on their home screen — their practice and the team lead's comments."""

from __future__ import annotations

from simulator.records.practice import local_trainee
from simulator.records.store import open_store
from tui_helpers import chat_idle, finish_to_scorecard, on_screen, send, wait_until

MODEL = [
    "亲，真的非常抱歉！颜色发错又晚到三天，换作是我也会很失望。麻烦您把订单号发我一下好吗？",
    "我们24小时内给您补发深棕色的，运费我们承担，晚到三天再送您一张30元代金券，您看可以吗？",
]


async def test_the_lead_comment_shows_in_the_trainee_history(app_factory, clock, settings):
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, chat_idle(app))
        for text in MODEL:
            clock.advance(12)
            await send(pilot, text)
            if app.screen._grading or app.screen.session.finished:
                break
        await finish_to_scorecard(pilot)
    with open_store(str(settings.records_dir / "kefu.db")) as store:
        practice = store.attempts(trainee=local_trainee(), kind="practice")
        assert practice, "the practice session was recorded"
        full = store.attempt(practice[-1]["id"])
        turn = next(t for s in full["sessions"] for t in s["turns"] if t["role"] == "trainee")
        store.add_comment(practice[-1]["id"], turn["id"], "王组长", "先道歉再问订单号，这个顺序很好。")
    home = app_factory(None)
    async with home.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, on_screen(home, "HomeScreen"))
        await pilot.press("f5")
        await wait_until(pilot, on_screen(home, "HistoryScreen"))
        await wait_until(pilot, lambda: home.screen.loaded)  # read in a worker (issue 21 §6)
        text = str(home.screen.query_one("#history-text").render())
        assert "组长批注（王组长）" in text and "这个顺序很好" in text
        await pilot.press("escape")
        await wait_until(pilot, on_screen(home, "HomeScreen"))
