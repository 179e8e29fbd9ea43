"""The engine's small parts: clock, line pools, policy checks, persona machines, predicates."""

from __future__ import annotations

import random

import pytest

from scoring.models import Remedy, RemedyKind, Span
from simulator.content.models import Persona, Policy
from simulator.engine import ManualClock, SystemClock
from simulator.engine.customer import PersonaMachineError, machine_for
from simulator.engine.lines import AGAIN, LinePicker, fill
from simulator.engine.policy import policy_breach
from simulator.engine.predicates import PREDICATE_NAMES, PREDICATES

SPAN = Span(text="x", start=0, end=1)


def remedy(kind: str, **kw) -> Remedy:
    return Remedy(kind=RemedyKind(kind), span=SPAN, **kw)


# ---- clock ----------------------------------------------------------------------------------


def test_manual_clock_moves_only_when_told():
    clock = ManualClock(start=10)
    assert clock.now() == 10
    clock.advance(2.5)
    assert clock.now() == 12.5
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_system_clock_reads_the_monotonic_clock(monkeypatch):
    """SystemClock is time.monotonic (a changed system time does not count), not time.time."""
    import time

    readings = iter([5.0, 7.25])
    monkeypatch.setattr(time, "monotonic", lambda: next(readings))
    monkeypatch.setattr(time, "time", lambda: 1e9)
    clock = SystemClock()
    assert clock.now() == 5.0 and clock.now() == 7.25
    monkeypatch.undo()
    real = [clock.now() for _ in range(1000)]
    assert all(isinstance(t, float) for t in real) and real == sorted(real)


# ---- lines ----------------------------------------------------------------------------------


def test_fill_keeps_unknown_placeholders_and_never_raises():
    assert fill("订单{order_number}，颜色{colour}", {"order_number": "A1"}) == "订单A1，颜色{colour}"
    for broken in ["{", "}", "{0}", "{a.b}", "{a[0]}", "{order_number!x}", "{:>{}}"]:
        assert isinstance(fill(broken, {"order_number": "A1"}), str)


def test_scenario_lines_override_persona_lines_by_key(library):
    scenario = library.scenarios["engine-wig"]
    picker = LinePicker(library.personas["disappointed"], scenario, random.Random(0))
    seen = set()
    said = []
    for _ in range(20):
        said.append(picker.pick("disappointed"))
        picker.end_message()
    for line in said:  # (issue 17 §5: said again with a lead-in, 我刚才已经说过了，…)
        seen.add(next((line[len(lead):] for lead in AGAIN if line.startswith(lead)), line))
    assert seen == {"唉，我本来挺期待的。", "说实话，我挺失望的，KF20261109-3375这一单我等了很久。",
                    "你们页面上可不是这么写的，{unknown_placeholder}。"}  # the persona's own lines are replaced
    assert len(set(said[:18])) == 18  # three lines, each said once plainly and once with each of five lead-ins
    assert picker.pick("listening") in library.personas["disappointed"].lines["listening"]  # other pools stay


def test_picker_never_repeats_the_previous_message(library):
    scenario = library.scenarios["engine-wig"]
    picker = LinePicker(library.personas["disappointed"], scenario, random.Random(3))
    previous = None
    for _ in range(50):
        line = picker.pick("disappointed")
        assert line is not None and line != previous
        picker.end_message()
        previous = line


# ---- policy (002 确定界限) -----------------------------------------------------------------------


POLICY = Policy(allowed=["refund", "voucher", "compensation", "reship"], max_compensation_yuan=30, full_refund=False)


@pytest.mark.parametrize(
    "offer, breach",
    [
        (remedy("voucher", amount_yuan=30), False),
        (remedy("voucher", amount_yuan=50), True),
        (remedy("compensation", amount_yuan=100), True),
        (remedy("refund", full=True), True),
        (remedy("refund"), True),  # "给您退款" with no amount = the whole order
        (remedy("refund", amount_yuan=20), False),
        (remedy("refund", percent=50), False),
        (remedy("exchange"), True),  # not in policy.allowed
        (remedy("follow_up"), False),  # actions that give nothing away are always allowed
        (remedy("escalate"), False),
    ],
)
def test_policy_breach(offer, breach):
    assert (policy_breach(offer, POLICY) is not None) == breach


NO_REFUNDS = Policy(allowed=["instructions", "escalate", "voucher", "compensation"], max_compensation_yuan=30,
                    full_refund=False)  # the no-effect-refund case's policy


@pytest.mark.parametrize(
    "offer, breach",
    [
        (remedy("refund", amount_yuan=30), False),  # 30元今天退回: the goodwill money allowed as compensation
        (remedy("refund", amount_yuan=50), True),  # beyond the cap
        (remedy("refund"), True),  # the order's price back: no refunds in this case
        (remedy("refund", full=True), True),
    ],
)
def test_goodwill_money_paid_back_is_no_refund_breach(offer, breach):
    assert (policy_breach(offer, NO_REFUNDS) is not None) == breach
    assert policy_breach(offer, Policy(allowed=["escalate"], max_compensation_yuan=30)) is not None  # no money at all


# ---- machines and predicates ------------------------------------------------------------------


def test_every_predicate_is_documented():
    assert set(PREDICATE_NAMES) == set(PREDICATES)
    for name, fn in PREDICATES.items():
        assert fn.__doc__ and fn.__doc__.strip(), name


def test_builtin_personas_build_and_use_known_predicates(library):
    for pid in ["disappointed", "venting", "stubborn", "extortion"]:
        persona = library.personas[pid]
        pm = machine_for(persona)
        assert set(pm.outcomes.values()) == {"resolved", "escalated", "abandoned"}
        assert pm.agreement_states  # a state where the customer waits for the close (001 感谢客户)
        assert pm.has_timeout
        for t in persona.machine.transitions:
            assert set(t.conditions + t.unless) <= set(PREDICATE_NAMES)


def test_one_machine_per_persona_is_shared(library):
    persona = library.personas["venting"]
    assert machine_for(persona).machine is machine_for(persona).machine


def test_unknown_predicate_is_refused_not_imported(library):
    data = library.personas["disappointed"].model_dump(mode="json")
    data["id"] = "evil"
    data["machine"]["transitions"][0]["conditions"] = ["os.getcwd"]
    with pytest.raises(PersonaMachineError, match="unknown predicate"):
        machine_for(Persona.model_validate(data))


def test_customer_attributes_match_the_instance():
    """The collision guard lists every instance attribute of Customer (predicates are methods of the same object)."""
    from simulator.engine import customer as customer_module

    persona_data = {
        "id": "p", "name": "p", "type": "disappointed", "mood": {"start": 50},
        "machine": {"states": [{"name": "a"}], "transitions": [], "initial": "a"},
    }
    scenario_data = {
        "id": "s", "title": "s", "category": "product", "difficulty": 1, "persona": "p", "summary": "s",
        "issues": [{"id": "i", "keywords": ["k"], "summary": "s"}], "wish": {"summary": "w"},
        "policy": {"allowed": []}, "opening": ["o"],
    }
    from simulator.content.models import Scenario

    c = customer_module.Customer(Persona.model_validate(persona_data), Scenario.model_validate(scenario_data))
    assert set(vars(c)) <= set(customer_module._INSTANCE_ATTRIBUTES)
    assert not set(vars(c)) & set(PREDICATES)


def test_sessions_do_not_pile_up_in_the_shared_machine(library):
    import gc

    from simulator.engine import ManualClock, Session

    scenario = library.scenarios["engine-wig"]
    persona = library.personas["disappointed"]
    machine = machine_for(persona).machine
    before = len(machine.models)
    finished = Session(scenario, persona, clock=ManualClock())
    finished.start()
    finished.end()
    assert len(machine.models) == before
    dropped = Session(scenario, persona, clock=ManualClock())
    dropped.start()
    assert len(machine.models) == before + 1
    del dropped
    gc.collect()
    assert len(machine.models) == before
