"""Issue 21 §2: a quick reply pasted as the very first reply is not answered as a repetition (又是这句);
pasted again later it is canned (003 禁区6)."""

from __future__ import annotations

from engine_helpers import texts

from simulator.engine import ManualClock, Session


def _session(library, scenario_id: str):
    scenario = library.scenarios[scenario_id]
    clock = ManualClock()
    session = Session(scenario, library.personas[scenario.persona], seed=0, clock=clock,
                      quick_replies=[q.text for q in library.quick_replies])
    session.start()
    return session, clock


def test_a_quick_reply_first_is_not_a_repetition_but_later_it_is_canned(library):
    palette = next(q.text for q in library.quick_replies if q.label == "道歉")
    for scenario_id in ("green-color-rant", "lost-parcel", "wig-wrong-color"):
        scenario = library.scenarios[scenario_id]
        persona = library.personas[scenario.persona]
        canned = {*scenario.lines.get("canned", []), *persona.lines.get("canned", [])}
        session, clock = _session(library, scenario_id)
        clock.advance(10)
        first = session.reply(palette, quick_reply=True)
        assert session._customer.reading.repeated is False
        assert not set(texts(first)) & canned, (scenario_id, texts(first))
        clock.advance(10)
        session.reply("请问您的订单号是多少？")
        clock.advance(10)
        again = session.reply(palette, quick_reply=True)
        assert session._customer.reading.repeated is True
        assert "canned" in session._customer.reading.events
