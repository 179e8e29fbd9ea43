"""Issue 17, round 18 (what the spent style hold-out aj and the tuning set an showed), played for real:

- goods of another make named as such (补发另一个牌子的3段) are not what she bought: the customer says so and the
  problem stays open, while the same reship of her own make settles it.
Each fix's test fails on the code of the round's start (dad81d1); its control holds on both."""

from __future__ import annotations

from engine_helpers import played, say

PARCEL_OPENING = ("真的很抱歉，孩子的奶粉丢了，快递还让您找我们，换谁都急。麻烦发下订单号，这事我们来管。",
                  "查到了，3段两罐478元，运单17号到转运中心就没动了，家里还剩两天的量是吧？")


def test_another_make_is_not_what_she_bought(new_session):
    session, clock = played(new_session, "lost-parcel", *PARCEL_OPENING)
    say(session, clock, "您这个牌子的3段今天没现货了，我给您补发另一个牌子的3段两罐，配方差不多的，今天顺丰加急发出。")
    lines = " ".join(m.text for m in session.transcript[-3:] if m.role == "customer")
    assert "原来那个牌子" in lines
    assert session._customer.issue_resolution["urgent"] != "resolved"


def test_her_own_make_sent_today_settles_the_milk(new_session):
    session, clock = played(new_session, "lost-parcel", *PARCEL_OPENING)
    say(session, clock, "我马上给您补发同款3段两罐，今天顺丰加急发出，预计明天送到，运费我们出。")
    assert session._customer.issue_resolution["urgent"] == "resolved"
