"""Helpers for the engine tests (imported as `engine_helpers`, like tests/tui's tui_helpers)."""

from __future__ import annotations

from pathlib import Path

from simulator.engine import ManualClock, Session

FIXTURES = Path(__file__).parent / "fixtures"


def say(session: Session, clock: ManualClock, text: str, seconds: float = 15):
    """The trainee takes `seconds` to type `text` (polling like the app's timer), then sends it."""
    clock.advance(seconds)
    session.poll()
    return session.reply(text)


def texts(result) -> list[str]:
    """The customer's lines in a TurnResult."""
    return [m.text for m in result.messages]


def played(new_session, case: str, *lines: str):
    """(session, clock) of `case` after each of `lines` was said in turn."""
    session, clock = new_session(case)
    for line in lines:
        say(session, clock, line)
    return session, clock


# Openings several rounds' tests play before the reply they check (one place, not one copy a file).
SHIPPING_OPENING = ("孙女士，很抱歉，扣运费的事我们没提前讲清楚，让您不舒服了。订单号发我一下？",
                    "查到了，电饭煲299元，今天上午已经发出，刚揽收，还在本地网点。")
PARCEL_OPENING = ("真的很抱歉，孩子的奶粉丢了，快递还让您找我们，换谁都急。麻烦发下订单号，这事我们来管。",
                  "查到了，3段两罐478元，运单17号到转运中心就没动了，家里还剩两天的量是吧？")
