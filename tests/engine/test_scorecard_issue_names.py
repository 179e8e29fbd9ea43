"""Issue 21 §2: the scorecard names issues by their summary, and tells an issue answered too early from
one never answered — played through the real engine and scorer on built-in cases."""

from __future__ import annotations

from simulator.content.library import load_library
from simulator.engine.replay import parse_replies, play_script


def _card(scenario_id: str, replies: list[str]):
    library = load_library(include_env=False)
    scenario = library.scenarios[scenario_id]
    play = play_script(scenario, library.personas[scenario.persona], parse_replies(replies), seed=0)
    return scenario, play.session.scorecard()


def _reasons(card) -> list[str]:
    return [item.reason for item in card.items]


def test_an_unanswered_issue_is_named_by_its_summary_not_its_first_keyword():
    scenario, card = _card("lost-parcel", ["您好，请问您的订单号是多少？", "好的，我记下了，稍后联系您。"])
    summaries = {i.id: i.summary for i in scenario.issues}
    text = "\n".join(_reasons(card))
    assert f"“{summaries['lost']}”问题" in text  # 快递把包裹弄丢了
    assert "“丢”问题" not in text


def test_an_issue_answered_too_early_is_not_reported_as_never_answered():
    # A venting customer must be heard first (001 平息怨气): jumping straight to the colour is premature.
    scenario, card = _card("green-color-rant", [
        "颜色发错了是吧，给您换深绿色的就行。",
        "您好，非常抱歉，让您这么生气，换成是我也会很失望的。",
        "真的对不起，您先消消气，您说的我都记下了。",
    ])
    name = next(i.summary for i in scenario.issues if i.id == "wrong_color")
    reasons = _reasons(card)
    early = [r for r in reasons if f"“{name}”问题" in r and "第1句" in r]
    assert early and "没有把它当作回应" in early[0], reasons
    assert not any(f"顾客提出的“{name}”问题没有回应" in r for r in reasons)
    assert "wrong_color" not in card.unanswered_issues
