"""Properties of any conversation: whatever the trainee types and however slowly, the engine holds up."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.content.models import OUTCOMES
from simulator.engine.customer import machine_for
from simulator.engine.replay import ScriptedReply, play_script

REPLIES = [
    "非常抱歉让您失望了，我完全理解您的心情。",
    "能具体说说是什么情况吗？",
    "请问您的订单号是多少？",
    "这个是您屏幕分辨率的问题。",
    "这是绝对不可能的。",
    "我们24小时内给您补发，再送您30元代金券，您看可以吗？",
    "给您全额退款。",
    "给您赔偿5000元。",
    "很抱歉，这个要求超出了我的权限，我只能把您的情况反映给主管，2天内给您答复。",
    "再次向您道歉，感谢您的理解和信任，我们会努力改进工作。",
    "好的。",
    "",
    "{order_number}{",
]
SCENARIOS = ["engine-wig", "engine-rant", "engine-stubborn", "engine-hotel"]

script = st.lists(
    st.tuples(st.sampled_from(REPLIES), st.sampled_from([3.0, 15.0, 35.0, 70.0, 150.0])), min_size=1, max_size=10
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scenario_id=st.sampled_from(SCENARIOS), seed=st.integers(0, 2**16), replies=script)
def test_any_conversation_keeps_the_invariants(library, scenario_id, seed, replies):
    scenario = library.scenarios[scenario_id]
    persona = library.personas[scenario.persona]
    scripted = [ScriptedReply(text, seconds) for text, seconds in replies]
    session = play_script(scenario, persona, scripted, seed=seed).session

    assert session.finished and session.outcome in OUTCOMES
    outcomes = machine_for(persona).outcomes
    if session.outcome == "unfinished":
        assert session.state not in outcomes
    else:
        assert outcomes[session.state] == session.outcome
    assert all(0 <= m <= 100 for m in session.mood_history)
    said = [t.text for t in session.transcript if t.role == "customer"]
    assert all(a != b for a, b in zip(said, said[1:]))
    assert len(session.record().turns) == sum(t.role == "trainee" for t in session.transcript)
    again = play_script(scenario, persona, scripted, seed=seed).session
    assert [(t.role, t.text, t.mood, t.state) for t in again.transcript] == [
        (t.role, t.text, t.mood, t.state) for t in session.transcript
    ]
