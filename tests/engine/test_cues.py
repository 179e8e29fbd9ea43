"""Issue 21 §1: cues — what a customer reacts to, declared by the trainer — and reader acts as
machine conditions and mood effects; a customer who must be heard still answers an offer."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_helpers import say, texts

from simulator.content.library import load_library
from simulator.content.lint import lint_paths
from simulator.engine import ManualClock, Session
from simulator.engine.cues import read_acts, read_cues

CUES = Path(__file__).parent / "cue_fixtures"


@pytest.fixture(scope="module")
def cue_library():
    return load_library([CUES], include_env=False)


def _session(library, scenario_id: str, seed: int = 0):
    scenario = library.scenarios[scenario_id]
    clock = ManualClock()
    session = Session(scenario, library.personas[scenario.persona], seed=seed, clock=clock)
    session.start()
    return session, clock


def test_a_breezy_cue_angers_the_customer_and_answers_with_its_line(cue_library):
    session, clock = _session(cue_library, "tag-removed-return")
    plain, plain_clock = _session(cue_library, "tag-removed-return")
    breezy = say(session, clock, "这个我们处理一下，哈哈")
    same = say(plain, plain_clock, "这个我们处理一下")
    assert texts(breezy)[0] == "你觉得这很好笑吗？我是来解决问题的，不是来跟你嘻嘻哈哈的。"
    assert breezy.mood - same.mood == 20  # the cue's mood: 20, nothing else differs


def test_a_brush_off_cue_sends_the_customer_to_a_state_in_either_script(cue_library):
    for text in ("多大点事，您先说说情况", "多大點事，您先說說情況"):
        session, clock = _session(cue_library, "tag-removed-return")
        result = say(session, clock, text)
        assert session.state == "brushed" and session.state_label == "又被敷衍了"
        # The cue answers from pool `brushed` (the state's own lines).
        assert texts(result)[0] == "一句“多大点事”就把我打发了？你们就是这么看不起人的？"


def test_a_scenario_cue_adds_to_the_persona_cues_and_a_calming_cue_calms(cue_library):
    session, clock = _session(cue_library, "tag-removed-return")
    doubt = say(session, clock, "您确定没穿过吗？")
    assert texts(doubt)[0] == "你这是怀疑我穿过？我像是那种人吗？"
    a, ca = _session(cue_library, "tag-removed-return")
    b, cb = _session(cue_library, "tag-removed-return")
    named = say(a, ca, "郑女士，非常抱歉，给您添麻烦了，我马上帮您处理退货")
    unnamed = say(b, cb, "女士，非常抱歉，给您添麻烦了，我马上帮您处理退货")
    assert named.mood - unnamed.mood == -5


def test_read_cues_matches_plain_words_not_patterns(cue_library):
    cues = cue_library.personas["looked-down"].cues
    assert read_cues(cues, "亲~这个没问题").names == ("breezy",)
    assert read_cues(cues, "亲，这个没问题").names == ()  # 亲~ is the breezy one, not 亲
    assert read_cues(cues, "哈哈哈").mood == 20


def test_reader_acts_are_read_by_name_and_absent_when_the_reader_lacks_them():
    from scoring import analyze

    analysis = analyze("好的")
    acts = read_acts(analysis, short=True)
    assert "short_reply" in acts
    # Acts of the issue-18 reader: present only when the reader reports them.
    if hasattr(analysis, "breezy"):
        assert "breezy" in read_acts(analyze("哈哈，么么哒，这个没事的"), short=False)


def test_a_customer_who_must_be_heard_still_answers_a_refused_offer(cue_library):
    session, clock = _session(cue_library, "hush-money")
    result = say(session, clock, "给您一张10元优惠券吧")
    lines = texts(result)
    # The answer to the offer first, then that she was not heard (001 平息怨气).
    assert lines[0] == "你以为给点券就完了？"
    assert lines[1] in cue_library.personas["venting"].lines["not_heard"]


def _write(tmp_path: Path, persona_text: str, scenario_text: str | None = None) -> Path:
    (tmp_path / "personas").mkdir()
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "personas" / "looked-down.yaml").write_text(persona_text, encoding="utf-8")
    scenario = scenario_text or (CUES / "scenarios" / "tag-removed-return.yaml").read_text(encoding="utf-8")
    (tmp_path / "scenarios" / "tag-removed-return.yaml").write_text(scenario, encoding="utf-8")
    return tmp_path


def test_lint_names_an_undeclared_cue_and_an_unknown_pool_at_their_line(tmp_path):
    persona = (CUES / "personas" / "looked-down.yaml").read_text(encoding="utf-8")
    persona = persona.replace('conditions: ["cue:brush_off"]', 'conditions: ["cue:brushoff"]')
    persona = persona.replace("pool: brushed", "pool: brushd")
    folder = _write(tmp_path, persona)
    problems = [p for p in lint_paths([folder])[0] if p.is_error]
    messages = "\n".join(f"{p.line}:{p.message}" for p in problems)
    assert "“cue:brushoff”" in messages and "brush_off" in messages
    assert "台词池“brushd”不存在" in messages and "brushed" in messages
    lines = persona.splitlines()
    assert {p.line for p in problems} == {
        next(n for n, t in enumerate(lines, 1) if "cue:brushoff" in t),
        next(n for n, t in enumerate(lines, 1) if "pool: brushd" in t),
    }


def test_lint_warns_about_a_cue_keyword_written_as_a_regular_expression(tmp_path):
    persona = (CUES / "personas" / "looked-down.yaml").read_text(encoding="utf-8")
    persona = persona.replace("keywords: [郑女士]", "keywords: [郑.*女士]")
    problems, _ = lint_paths([_write(tmp_path, persona)])
    assert any("正则表达式" in p.message and "郑.*女士" in p.message for p in problems)


def test_kefu_graph_shows_cue_conditions_and_the_cues(cue_library):
    from simulator.content.graph import mermaid

    text = mermaid(cue_library.personas["looked-down"])
    assert "cue:brush_off：回复里有说法“brush_off”的关键词（多大点事、别激动、很正常）" in text
    assert "brush_off：多大点事、别激动、很正常，心情 +15，从台词池 brushed 回答" in text
    assert "hurt --> brushed : 回复后 [cue：brush_off]" in text


def test_reader_acts_are_conditions_and_mood_effects(tmp_path):
    """A one-line brush-off read by the reader (no cue written) sends the customer to 又被敷衍了; a breezy
    tone costs what the persona's mood.effects.breezy says."""
    from scoring import analyze

    if not hasattr(analyze("好的"), "brush_off"):
        pytest.skip("needs the reader acts of issue 18")
    persona = (CUES / "personas" / "looked-down.yaml").read_text(encoding="utf-8")
    persona = persona.replace('conditions: ["cue:brush_off"]', "conditions: [brushed_off]")
    persona = persona.replace('unless: ["cue:breezy"]', "unless: [breezy]")
    persona = persona.replace("  escalate: 95\n", "  escalate: 95\n  effects: {breezy: 30}\n")
    persona = persona.replace("cues:\n", "cues_unused:\n", 1).split("cues_unused:")[0] + "machine:" + \
        persona.split("\nmachine:", 1)[1]  # no cues at all: the reader alone
    library = load_library([_write(tmp_path, persona)], include_env=False)
    assert library.personas["looked-down"].cues == []
    session, clock = _session(library, "tag-removed-return")
    say(session, clock, "多大点事，您别激动")
    assert session.state == "brushed"
    flat = persona.replace("  effects: {breezy: 30}\n", "")
    (tmp_path / "flat").mkdir()
    plain_library = load_library([_write(tmp_path / "flat", flat)], include_env=False)
    a, ca = _session(library, "tag-removed-return")
    b, cb = _session(plain_library, "tag-removed-return")
    breezy = say(a, ca, "亲~哈哈，我们马上处理哦~")
    plain = say(b, cb, "亲~哈哈，我们马上处理哦~")
    assert "breezy" in a._customer.reading.acts
    assert breezy.mood - plain.mood == 30  # the same reply: only the persona's breezy effect differs
