"""Scripted conversations: `kefu run` (JSON out), `kefu check` (examples as tests), and the tests.

`play_script` is the one way scripted replies are played: a ManualClock advanced through each
reply's seconds as if polled every second (so nudges and leaving happen on time), then `reply()`.
Seconds in which no poll can do anything are skipped in one step, so a long wait costs no more
than a short one.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path

from scoring.inputfile import InputError, read_bounded, source_name
from simulator.content.glossary import OUTCOMES
from simulator.content.models import Example, Persona, Scenario
from simulator.content.replies import (  # noqa: F401 - re-exported: the format's one parser
    DEFAULT_SECONDS,
    ReplyError,
    ScriptedReply,
    parse_replies,
    parse_reply,
    split_lines,
)
from simulator.content.vocabulary import MAX_REPLY_SECONDS
from simulator.engine.clock import ManualClock
from simulator.engine.customer import PersonaMachineError
from simulator.engine.explain import explain_failure, walk
from simulator.engine.playthrough import Playthrough  # noqa: F401 - re-exported (kefu run, tests)
from simulator.engine.session import Analyzer, Session
from simulator.i18n import _

MAX_SECONDS = MAX_REPLY_SECONDS
POLL_INTERVAL = 1.0  # seconds between polls, as the app's timer
_SAFETY_MARGIN = 2.0  # seconds kept between a skipped poll and the nearest nudge or leaving


def play_script(
    scenario: Scenario,
    persona: Persona,
    replies: Sequence[ScriptedReply | str],
    seed: int = 0,
    analyzer: Analyzer | None = None,
    quick_replies: Sequence[str] = (),
) -> Playthrough:
    """Play `replies` against the scenario's customer; stops early when the customer ends it.

    Replies left when the script runs out make the outcome 'unfinished'.
    """
    clock = _ScriptClock()
    session = Session(scenario, persona, seed=seed, clock=clock, analyzer=analyzer, quick_replies=quick_replies)
    session.start()
    states: list[str] = []
    for item in replies:
        reply = parse_reply(item) if isinstance(item, str) else item
        _wait(session, clock, reply.seconds)
        if session.finished:
            break  # the customer left while the trainee was typing
        session.reply(reply.text)
        states.append(session.state)
        if session.finished:
            break
    session.end()
    return Playthrough(session, states)


class _ScriptClock(ManualClock):
    """The ManualClock of a script, which can also skip ahead over seconds in which nothing happens."""

    def skip_seconds(self, count: int) -> None:
        """Where `count` calls of advance(POLL_INTERVAL) would leave the clock, to the last bit."""
        self._now = _plus_ones(self._now, count)


def _wait(session: Session, clock: _ScriptClock, seconds: float) -> None:
    # As if polled once a second like the app's timer, so every nudge (30 s, 60 s, …) and the leaving
    # happen in turn and at the same second; seconds in which no poll can do anything are skipped.
    if not 0 <= seconds <= MAX_SECONDS:  # also refuses NaN
        raise ReplyError(f"一句回复用时必须在 0 到 {MAX_SECONDS:.0f} 秒之间，不能是 {seconds}")
    whole = int(seconds)
    done = 0
    while done < whole:
        quiet = min(whole - done, _quiet_seconds(session))
        if quiet > 0:
            clock.skip_seconds(quiet)
            done += quiet
            continue
        clock.advance(POLL_INTERVAL)
        session.poll()
        done += 1
        if session.finished:
            return
    clock.advance(seconds - whole)
    session.poll()


def _quiet_seconds(session: Session) -> int:
    """How many of the next once-a-second polls certainly do nothing (no nudge is due, no leaving)."""
    if session.finished:
        return 0  # tick once, as before: the wait stops at the first poll after the end
    room = session.next_timer_event() - session.waiting_seconds() - _SAFETY_MARGIN
    return max(0, math.floor(room)) if math.isfinite(room) else 0


def _plus_ones(x: float, count: int) -> float:
    """`for _ in range(count): x += 1.0`, rounding included, in a few steps (x >= 0)."""
    while count > 0:
        if x < 1.0 or math.ulp(x) > 1.0:
            before, x, count = x, x + 1.0, count - 1
            if x == before:
                return x  # adding one no longer changes x
            continue
        # Inside the binade [2**(e-1), 2**e) every x + j below its top is exact (a multiple of ulp(x) <= 1);
        # crossing the top rounds once, as the one-at-a-time addition would.
        top = math.ldexp(1.0, math.frexp(x)[1])
        exact = min(count, math.ceil(top - x) - 1)  # top - x is exact (Sterbenz)
        if exact > 0:
            x, count = x + exact, count - exact
        if count > 0:
            x, count = x + 1.0, count - 1
    return x


def play_example(scenario: Scenario, persona: Persona, example: Example, analyzer: Analyzer | None = None) -> Playthrough:
    """Play one of the scenario's example conversations."""
    return play_script(scenario, persona, example.replies, seed=example.seed, analyzer=analyzer)


def transcript_json(play: Playthrough) -> list[dict]:
    """The conversation as plain data: role, text, mood, state (and seconds for the trainee)."""
    turns = []
    labels = {s.name: s.label or s.name for s in play.session.persona.machine.states}
    for turn in play.session.transcript:
        item: dict = {"role": turn.role, "text": turn.text, "mood": turn.mood, "state": turn.state,
                      "state_label": labels.get(turn.state, turn.state)}
        if turn.role == "trainee":
            item["seconds"] = turn.seconds
        turns.append(item)
    return turns


def compare_example(example: Example, play: Playthrough) -> str | None:
    """None when the play matches the example; otherwise what differs, in one line."""
    session = play.session
    complaints = []
    if session.outcome != example.outcome:
        complaints.append(f"expected outcome {example.outcome}, got {session.outcome}")
    if example.policy_breach is not None and session.policy_breach != example.policy_breach:
        complaints.append(f"expected policy_breach {str(example.policy_breach).lower()}, got {str(session.policy_breach).lower()}")
    if example.states is not None:
        for n in range(max(len(example.states), len(play.states))):
            want = example.states[n] if n < len(example.states) else "(no more replies)"
            got = play.states[n] if n < len(play.states) else "(conversation over)"
            if want != got:
                complaints.append(f"first differing turn: {n + 1} (expected state {want}, got {got})")
                break
    return "; ".join(complaints) or None


# ---- commands ---------------------------------------------------------------------------------


MAX_REPLIES_BYTES = 1024 * 1024
"""A replies file (or stdin) larger than this is refused: a conversation is far smaller."""


def run_command(scenario_id: str, replies_path: str, seed: int = 0, content_dirs: Sequence[Path] = ()) -> int:
    """`kefu run`: play SCENARIO with the replies in FILE and print one JSON document.

    Only the scenario and its persona need to load: errors in other content files are printed
    as warnings (simulator.content.selection).
    """
    from simulator.content.library import ContentError
    from simulator.content.selection import load_scenario

    try:
        found = load_scenario(scenario_id, list(content_dirs))
    except ContentError as exc:
        print(str(exc), file=sys.stderr)  # a count, then every problem as path:line:col: message
        return 1
    if found.warnings:
        print(_("kefu run：警告：另有 {n} 处内容错误，与案例“{id}”无关，本次运行不受影响（用 kefu lint 查看）：").format(
            n=len(found.warnings), id=scenario_id), file=sys.stderr)
        for problem in found.warnings:
            print(f"  {problem}", file=sys.stderr)
    library, scenario, persona = found.library, found.scenario, found.persona
    if scenario is None:
        available = "、".join(sorted(library.scenarios)) or _("（无）")
        print(_("kefu run：没有案例“{id}”。现有案例：{available}").format(id=scenario_id, available=available), file=sys.stderr)
        return 2
    try:
        text = read_replies(replies_path)
        replies = parse_replies(text)
    except InputError as exc:
        print(_("kefu run：无法读取回复文件：{reason}").format(reason=exc.message), file=sys.stderr)
        return 2
    except ReplyError as exc:
        print(_("kefu run：{where}").format(where=exc.where(source_name(replies_path))), file=sys.stderr)
        return 2
    if persona is None:
        print(_("kefu run：案例“{id}”用的顾客类型“{persona}”不存在").format(id=scenario_id, persona=scenario.persona), file=sys.stderr)
        return 1
    try:
        play = play_script(scenario, persona, replies, seed=seed,
                           quick_replies=[q.text for q in library.quick_replies])
        session = play.session
        document = {
            "scenario": scenario.id,
            "seed": seed,
            "outcome": session.outcome,
            "outcome_label": OUTCOMES.get(str(session.outcome), str(session.outcome)),
            "policy_breach": session.policy_breach,
            "turns": transcript_json(play),
            "scorecard": session.scorecard().model_dump(mode="json"),
        }
    except PersonaMachineError as exc:
        print(_("{path}：顾客类型“{persona}”：{error}").format(path=library.source_of(persona.id), persona=persona.id, error=exc), file=sys.stderr)
        return 1
    except Exception as exc:  # no tracebacks for a trainer; the message still names the cause
        print(_("kefu run：运行“{id}”时出错：{error}: {detail}").format(id=scenario_id, error=type(exc).__name__, detail=exc), file=sys.stderr)
        return 1
    print(json.dumps(document, ensure_ascii=False, indent=2))
    return 0


def check_command(paths: Sequence[str], content_dirs: Sequence[Path] = (), verbose: bool = False) -> int:
    """`kefu check`: run every example of every scenario in use (or under PATHs) like tests."""
    targets = [Path(p) for p in paths]
    missing = [str(p) for p in targets if not p.exists()]
    if missing:
        print(_("kefu check：找不到文件或文件夹：{paths}").format(paths="、".join(missing)), file=sys.stderr)
        return 2
    from simulator.content.discover import with_content_roots  # a folder's personas/ come with its scenarios/

    library = _load([*content_dirs, *with_content_roots(targets)], only=targets)
    if library is None:
        return 1
    scenario_ids = sorted(library.scenarios)
    if targets:
        roots = [t.resolve() for t in targets]
        scenario_ids = [s for s in scenario_ids if _under(library.source_of(s).resolve(), roots)]
    from simulator.content.loader import declared_id

    broken = {declared_id(f) for f in library.files if f.kind == "persona" and f.model is None}
    passed = failed = 0
    from simulator.content.paths import builtin_root

    builtin = (builtin_root() / "scenarios").resolve()
    for sid in scenario_ids:
        scenario = library.scenarios[sid]
        persona = library.personas.get(scenario.persona)
        for number, example in enumerate(scenario.examples):
            label = f"{sid}::{example.name}"
            if persona is None:
                failed += 1
                why = _("顾客类型“{persona}”的文件有错误，没能读进来（见上面的警告）") if scenario.persona in broken \
                    else _("找不到顾客类型“{persona}”")
                print(_("失败 {label}：").format(label=label) + why.format(persona=scenario.persona))
                continue
            try:
                play = play_example(scenario, persona, example)
            except PersonaMachineError as exc:
                failed += 1
                print(_("失败 {label}：顾客类型“{persona}”无法运行：{error}").format(label=label, persona=persona.id, error=exc))
                continue
            except Exception as exc:  # one broken example must not hide the others' results
                failed += 1
                print(_("失败 {label}：运行出错：{error}: {detail}").format(label=label, error=type(exc).__name__, detail=exc))
                continue
            reasons = explain_failure(scenario, example, play)
            if not reasons:
                passed += 1
                print(_("通过 {label}").format(label=label))
                if verbose:
                    for line in walk(play):
                        print("    " + line)
                continue
            failed += 1
            line, _col = library.scenario_files[sid].position("examples", number)
            print(_("失败 {label}（{source}:{line}）：").format(label=label, source=library.source_of(sid), line=line))
            for reason in reasons:
                print("  - " + reason)
            if not _under(library.source_of(sid).resolve(), [builtin]):  # built-ins move with the engine
                from simulator.engine.upgrades import upgrade_notes  # issue 21 §4

                for note in upgrade_notes(scenario, play.session.record().turns):
                    print("  " + note)
            print(_("    对话经过：") if verbose else _("    （加 -v 看每条回复之后的状态和心情）"))
            if verbose:
                for line in walk(play):
                    print("    " + line)
    if passed + failed == 0:
        where = "、".join(paths) if paths else _("当前使用的内容")
        print(_("kefu check：{where} 里没有案例示例（examples），什么也没检查").format(where=where), file=sys.stderr)
        return 1
    print(_("{passed} 个通过，{failed} 个失败").format(passed=passed, failed=failed))
    return 1 if failed else 0


def read_replies(replies_path: str) -> str:
    """The text of a replies file ('-' for stdin), at most MAX_REPLIES_BYTES of UTF-8.

    Raises InputError (Chinese, naming the file) when it cannot be read, is too large or is not UTF-8.
    """
    data = read_bounded(replies_path, MAX_REPLIES_BYTES)
    try:
        # utf-8-sig: a byte-order mark (Windows Notepad) must not become part of the first reply.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(_("{source}:{line}: 不是 UTF-8 文本（请把文件存为 UTF-8）").format(
            source=source_name(replies_path), line=line)) from None


def _load(content_dirs: Sequence[Path], only: Sequence[Path] = ()):
    """The library in use; with `only`, errors in other files are a warning, not a stop (issue 21 §2)."""
    from simulator.content.library import ContentError, load_library

    try:
        library = load_library(list(content_dirs), strict=not only)
    except ContentError as exc:
        print(str(exc), file=sys.stderr)  # a count, then every problem as path:line:col: message
        return None
    roots = [p.resolve() for p in only]
    own = [p for p in library.errors if _under(Path(p.path).resolve(), roots)]
    if own:
        print(str(ContentError(own)), file=sys.stderr)
        return None
    others = library.errors
    if others:
        print(_("警告：别的内容文件有 {n} 处错误，这里只检查你指定的案例（用 kefu lint 看详情并修好它们）：").format(
            n=len(others)), file=sys.stderr)
        for problem in others:
            print("  " + str(problem), file=sys.stderr)
    return library


def _under(path: Path, roots: list[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)
