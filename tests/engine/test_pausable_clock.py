"""PausableClock: the time while paused is left out, so a session sees none of it."""

from __future__ import annotations

from simulator.engine.clock import ManualClock, PausableClock


def test_paused_time_does_not_count():
    inner = ManualClock(100.0)
    clock = PausableClock(inner)
    start = clock.now()
    inner.advance(5)
    clock.pause()
    assert clock.paused
    inner.advance(60)
    assert clock.now() - start == 5  # frozen while paused
    clock.pause()  # twice is harmless
    clock.resume()
    assert not clock.paused
    inner.advance(2)
    assert clock.now() - start == 7
    clock.resume()  # twice is harmless
    assert clock.now() - start == 7


def test_a_session_on_a_paused_clock_does_not_nudge():
    from simulator.content.library import load_library
    from simulator.engine import Session

    lib = load_library(include_env=False, strict=False)
    scenario = lib.scenarios["wig-wrong-color"]
    inner = ManualClock()
    clock = PausableClock(inner)
    session = Session(scenario, lib.personas[scenario.persona], seed=0, clock=clock)
    session.start()
    clock.pause()
    inner.advance(scenario.response_limit_seconds * 10)
    assert session.poll() == []
    assert session.waiting_seconds() == 0
    clock.resume()
    inner.advance(scenario.response_limit_seconds + 1)
    assert session.poll()  # running again: past the limit the customer nudges
