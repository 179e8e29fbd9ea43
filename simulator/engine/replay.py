"""Scripted conversations: `kefu run` (JSON out), `kefu check` (examples as tests), and the tests.

`play_script` is the one way scripted replies are played: a ManualClock advanced through each
reply's seconds with a `poll()` every second (so nudges and leaving happen on time), then `reply()`.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from simulator.content.models import Example, Persona, Scenario
from simulator.engine.clock import ManualClock
from simulator.engine.customer import PersonaMachineError
from simulator.engine.session import Analyzer, Session

DEFAULT_SECONDS = 15.0
POLL_INTERVAL = 1.0  # seconds between polls, as the app's timer
_TIME_PREFIX = re.compile(r"^\s*\[\+\s*(\d+(?:\.\d+)?)\s*s\]\s*")


@dataclass(frozen=True)
class ScriptedReply:
    """A trainee reply and the seconds the trainee took to send it."""

    text: str
    seconds: float = DEFAULT_SECONDS


@dataclass
class Playthrough:
    """A played script: the session and the customer's state after each reply actually sent."""

    session: Session
    states: list[str]


def parse_reply(line: str) -> ScriptedReply:
    """'[+45s] 您好…' -> ScriptedReply('您好…', 45.0); no prefix means 15 seconds."""
    match = _TIME_PREFIX.match(line)
    if match:
        return ScriptedReply(line[match.end():].strip(), float(match.group(1)))
    return ScriptedReply(line.strip(), DEFAULT_SECONDS)


def parse_replies(lines: Iterable[str]) -> list[ScriptedReply]:
    """One reply a line; blank lines and lines starting with '#' are skipped."""
    out = []
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        out.append(parse_reply(stripped))
    return out


def play_script(
    scenario: Scenario,
    persona: Persona,
    replies: Sequence[ScriptedReply | str],
    seed: int = 0,
    analyzer: Analyzer | None = None,
) -> Playthrough:
    """Play `replies` against the scenario's customer; stops early when the customer ends it.

    Replies left when the script runs out make the outcome 'unfinished'.
    """
    clock = ManualClock()
    session = Session(scenario, persona, seed=seed, clock=clock, analyzer=analyzer)
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


def _wait(session: Session, clock: ManualClock, seconds: float) -> None:
    # Poll once a second like the app's timer, so every nudge (30 s, 60 s, …) and the leaving happen in turn.
    whole = int(seconds)
    for _ in range(whole):
        clock.advance(POLL_INTERVAL)
        session.poll()
        if session.finished:
            return
    clock.advance(seconds - whole)
    session.poll()


def play_example(scenario: Scenario, persona: Persona, example: Example, analyzer: Analyzer | None = None) -> Playthrough:
    """Play one of the scenario's example conversations."""
    return play_script(scenario, persona, example.replies, seed=example.seed, analyzer=analyzer)


def transcript_json(play: Playthrough) -> list[dict]:
    """The conversation as plain data: role, text, mood, state (and seconds for the trainee)."""
    turns = []
    for turn in play.session.transcript:
        item: dict = {"role": turn.role, "text": turn.text, "mood": turn.mood, "state": turn.state}
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


def run_command(scenario_id: str, replies_path: str, seed: int = 0, content_dirs: Sequence[Path] = ()) -> int:
    """`kefu run`: play SCENARIO with the replies in FILE and print one JSON document."""
    library = _load(content_dirs)
    if library is None:
        return 1
    if scenario_id not in library.scenarios:
        available = ", ".join(sorted(library.scenarios)) or "(none)"
        print(f"kefu run: unknown scenario '{scenario_id}'. Available: {available}", file=sys.stderr)
        return 2
    try:
        text = sys.stdin.read() if replies_path == "-" else Path(replies_path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"kefu run: cannot read replies file '{replies_path}': {_reason(exc)}", file=sys.stderr)
        return 2
    scenario = library.scenarios[scenario_id]
    persona = library.personas.get(scenario.persona)
    if persona is None:
        print(f"kefu run: scenario '{scenario_id}' uses unknown persona '{scenario.persona}'", file=sys.stderr)
        return 1
    try:
        play = play_script(scenario, persona, parse_replies(text.splitlines()), seed=seed)
        session = play.session
        document = {
            "scenario": scenario.id,
            "seed": seed,
            "outcome": session.outcome,
            "policy_breach": session.policy_breach,
            "turns": transcript_json(play),
            "scorecard": session.scorecard().model_dump(mode="json"),
        }
    except PersonaMachineError as exc:
        print(f"{library.source_of(persona.id)}: persona '{persona.id}': {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # no tracebacks for a trainer; the message still names the cause
        print(f"kefu run: error while playing '{scenario_id}': {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(document, ensure_ascii=False, indent=2))
    return 0


def check_command(paths: Sequence[str], content_dirs: Sequence[Path] = (), verbose: bool = False) -> int:
    """`kefu check`: run every example of every scenario in use (or under PATHs) like tests."""
    targets = [Path(p) for p in paths]
    missing = [str(p) for p in targets if not p.exists()]
    if missing:
        print(f"kefu check: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    library = _load([*content_dirs, *targets])
    if library is None:
        return 1
    scenario_ids = sorted(library.scenarios)
    if targets:
        roots = [t.resolve() for t in targets]
        scenario_ids = [s for s in scenario_ids if _under(library.source_of(s).resolve(), roots)]
    passed = failed = 0
    for sid in scenario_ids:
        scenario = library.scenarios[sid]
        persona = library.personas.get(scenario.persona)
        for example in scenario.examples:
            label = f"{sid}::{example.name}"
            if persona is None:
                failed += 1
                print(f"FAIL {label}: unknown persona '{scenario.persona}'")
                continue
            try:
                play = play_example(scenario, persona, example)
            except PersonaMachineError as exc:
                failed += 1
                print(f"FAIL {label}: persona '{persona.id}' cannot be played: {exc}")
                continue
            except Exception as exc:  # one broken example must not hide the others' results
                failed += 1
                print(f"FAIL {label}: error while playing: {type(exc).__name__}: {exc}")
                continue
            problem = compare_example(example, play)
            if problem is None:
                passed += 1
                print(f"PASS {label}")
                continue
            failed += 1
            print(f"FAIL {label}: {problem}")
            if verbose:
                for turn in play.session.transcript:
                    who = "客服" if turn.role == "trainee" else "顾客"
                    print(f"    {who} [{turn.state} {turn.mood}] {turn.text}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def _load(content_dirs: Sequence[Path]):
    from simulator.content.library import ContentError, load_library

    try:
        return load_library(list(content_dirs))
    except ContentError as exc:
        print(str(exc), file=sys.stderr)  # a count, then every problem as path:line:col: message
        return None


def _under(path: Path, roots: list[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def _reason(exc: Exception) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    return getattr(exc, "strerror", None) or type(exc).__name__
