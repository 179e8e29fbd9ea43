"""Review fixes of `kefu run` / `kefu check`, driven through simulator.cli.main as a trainer would.

1. a time prefix is bounded (24 h), patience.seconds too, and a long wait costs no more than a short one;
2. a byte-order mark does not end up in the first reply (file and stdin);
3. a malformed time prefix or an empty reply is an error, never sent as the trainee's words;
4. `kefu check PATH` with nothing to check fails.
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest

from engine_helpers import FIXTURES
from simulator.cli import main
from simulator.engine import ManualClock, Session
from simulator.engine.replay import POLL_INTERVAL, ScriptedReply, play_script

ROOT = Path(__file__).parents[2]
FIRST = "非常抱歉让您失望了，我完全理解您的心情，颜色发错和晚到三天确实是我们的问题。"
SECOND = "能具体说说您收到的假发是什么情况吗？"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _replies(tmp_path: Path, text: str, name: str = "replies.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _run_wig(capsys, replies: Path, *extra: str) -> tuple[int, str, str]:
    return _run(capsys, "run", "engine-wig", "--replies", str(replies), "--content", str(FIXTURES), *extra)


def _patient_persona(tmp_path: Path, seconds: str, turns: int = 12) -> Path:
    """A content folder overriding persona 'disappointed' with patience.seconds = `seconds`."""
    text = (ROOT / "personas" / "disappointed.yaml").read_text(encoding="utf-8")
    assert "patience:\n  seconds: 120\n  turns: 12\n" in text
    text = text.replace("patience:\n  seconds: 120\n  turns: 12\n", f"patience:\n  seconds: {seconds}\n  turns: {turns}\n")
    folder = tmp_path / "content"
    (folder / "personas").mkdir(parents=True)
    (folder / "personas" / "disappointed.yaml").write_text(text, encoding="utf-8")
    return folder


# ---- 1. bounded waits -----------------------------------------------------------------------------


def test_a_time_prefix_above_24_hours_is_refused_with_file_and_line(capsys, tmp_path):
    replies = _replies(tmp_path, f"{FIRST}\n[+100000000s] {SECOND}\n")
    code, out, err = _run_wig(capsys, replies)
    assert code == 2 and out == ""
    assert f"{replies}:2:" in err and "86400" in err and "Traceback" not in err


def test_a_time_prefix_too_big_for_a_float_is_refused_not_an_error_while_playing(capsys, tmp_path):
    replies = _replies(tmp_path, f"[+{'9' * 400}s] {FIRST}\n")
    code, out, err = _run_wig(capsys, replies)
    assert code == 2 and out == ""
    assert f"{replies}:1:" in err and "error while playing" not in err and "OverflowError" not in err


def test_24_hours_exactly_is_allowed(capsys, tmp_path):
    replies = _replies(tmp_path, f"[+86400s] {FIRST}\n")
    code, out, err = _run_wig(capsys, replies)
    assert code == 0, err
    assert json.loads(out)["outcome"] == "abandoned"  # the customer left long before


def test_patience_seconds_is_bounded_to_24_hours(capsys, tmp_path):
    content = _patient_persona(tmp_path, "100000000")
    replies = _replies(tmp_path, f"{FIRST}\n")
    code, out, err = _run_wig(capsys, replies, "--content", str(content))
    assert code == 1 and out == ""
    assert "disappointed.yaml:" in err and "Traceback" not in err


def test_a_long_wait_costs_a_few_polls_not_one_a_second(capsys, tmp_path, monkeypatch):
    """A customer patient for 24 h, replies taking 24 h: polls only around the seconds a nudge falls due."""
    content = _patient_persona(tmp_path, "86400")
    replies = _replies(tmp_path, f"[+86400s] {FIRST}\n[+86400s] {SECOND}\n")
    polls = 0
    real_poll = Session.poll

    def counting_poll(self):
        nonlocal polls
        polls += 1
        return real_poll(self)

    monkeypatch.setattr(Session, "poll", counting_poll)
    code, out, err = _run_wig(capsys, replies, "--content", str(content))
    assert code == 0, err
    turns = json.loads(out)["turns"]
    assert [t["seconds"] for t in turns if t["role"] == "trainee"] == [86400, 86400]
    # (issue 17 §5: a nudge said before comes back with a lead-in first, 我再说一遍：人呢？)
    nudges = sum(t["role"] == "customer" and t["text"].endswith(("人呢？", "在吗？还有人吗？", "怎么不说话了？"))
                 for t in turns)
    assert nudges >= 2 * (86400 // 30 - 1)  # still one nudge per elapsed 30 s, none lost
    # one poll a second would be 2 * 86 400; now a few polls around each nudge
    assert polls <= 4 * nudges + 10


def _play_ticking_every_second(scenario, persona, replies, seed):
    """The replay as it was: a poll after every simulated second (the reference for timing)."""
    clock = ManualClock()
    session = Session(scenario, persona, seed=seed, clock=clock)
    session.start()
    for reply in replies:
        whole = int(reply.seconds)
        for _ in range(whole):
            clock.advance(POLL_INTERVAL)
            session.poll()
            if session.finished:
                break
        else:
            clock.advance(reply.seconds - whole)
            session.poll()
        if session.finished:
            break
        session.reply(reply.text)
        if session.finished:
            break
    session.end()
    return session


@pytest.mark.parametrize("limit,patience", [(30, 120), (7.3, 90.7), (0.4, 31.0), (2.5, 3.3)])
def test_skipping_quiet_seconds_keeps_every_nudge_and_the_leaving_at_the_same_time(library, limit, patience):
    scenario = library.scenarios["engine-wig"].model_copy(update={"response_limit_seconds": limit})
    base = library.personas[scenario.persona]
    persona = base.model_copy(update={"patience": base.patience.model_copy(update={"seconds": patience})})
    rng = random.Random(f"{limit}/{patience}")
    texts = [FIRST, SECOND, "好的。", "这不是我们的问题。"]
    for seed in range(4):
        replies = [
            ScriptedReply(rng.choice(texts), rng.choice([0.3, 15.0, 29.9, 30.1, 61.7, 89.0, rng.random() * 150]))
            for _ in range(5)
        ]
        want = _play_ticking_every_second(scenario, persona, replies, seed)
        got = play_script(scenario, persona, replies, seed=seed).session
        assert [(t.role, t.text, t.mood, t.state, t.seconds) for t in got.transcript] == [
            (t.role, t.text, t.mood, t.state, t.seconds) for t in want.transcript
        ]
        assert got.outcome == want.outcome and got.clock.now() == want.clock.now()


# ---- 2. byte-order mark ---------------------------------------------------------------------------


def test_a_byte_order_mark_is_not_part_of_the_first_reply(capsys, tmp_path):
    path = tmp_path / "replies.txt"
    path.write_bytes(b"\xef\xbb\xbf" + f"[+45s] {FIRST}\n{SECOND}\n".encode())
    code, out, err = _run_wig(capsys, path)
    assert code == 0, err
    trainee = [t for t in json.loads(out)["turns"] if t["role"] == "trainee"]
    assert trainee[0]["text"] == FIRST and trainee[0]["seconds"] == 45


def test_a_byte_order_mark_on_stdin_is_not_part_of_the_first_reply(capsys, monkeypatch):
    data = b"\xef\xbb\xbf" + f"[+45s] {FIRST}\n".encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    code, out, err = _run(capsys, "run", "engine-wig", "--replies", "-", "--content", str(FIXTURES))
    assert code == 0, err
    trainee = [t for t in json.loads(out)["turns"] if t["role"] == "trainee"]
    assert trainee[0]["text"] == FIRST and trainee[0]["seconds"] == 45


def test_stdin_that_is_not_utf8_is_refused_like_a_file(capsys, monkeypatch, tmp_path):
    data = f"{FIRST}\n".encode("gbk")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape"))
    code, out, err = _run(capsys, "run", "engine-wig", "--replies", "-", "--content", str(FIXTURES))
    assert code == 2 and out == "" and "标准输入:1: 不是 UTF-8 文本" in err

    path = tmp_path / "replies.txt"
    path.write_bytes(data)
    code, out, err = _run_wig(capsys, path)
    assert code == 2 and out == "" and f"{path}:1: 不是 UTF-8 文本" in err


# ---- 3. malformed time prefixes -------------------------------------------------------------------


@pytest.mark.parametrize("line", ["[+-5s] 你好", "[+1e3s] 你好", "[ +45s ] 你好", "[+45] 你好", "[45s] 你好", "[-5s] 你好"])
def test_a_malformed_time_prefix_is_an_error_not_the_trainees_words(capsys, tmp_path, line):
    replies = _replies(tmp_path, f"{FIRST}\n{line}\n")
    code, out, err = _run_wig(capsys, replies)
    assert code == 2 and out == ""
    assert f"{replies}:2: 看不懂时间前缀 " in err and "请写成 [+45s]" in err


def test_a_time_prefix_with_no_reply_is_an_error_not_an_empty_reply(capsys, tmp_path):
    replies = _replies(tmp_path, f"{FIRST}\n\n[+45s]   \n")
    code, out, err = _run_wig(capsys, replies)
    assert code == 2 and out == ""
    assert f"{replies}:3: 时间前缀 [+45s] 后面没有回复内容" in err


def test_well_formed_prefixes_still_work(capsys, tmp_path):
    replies = _replies(tmp_path, f"[+45s] {FIRST}\n[+ 2.5 s]{SECOND}\n[订单] 好的。\n")
    code, out, err = _run_wig(capsys, replies)
    assert code == 0, err
    trainee = [t for t in json.loads(out)["turns"] if t["role"] == "trainee"]
    assert [(t["text"], t["seconds"]) for t in trainee] == [(FIRST, 45), (SECOND, 2.5), ("[订单] 好的。", 15)]


# ---- 4. `kefu check` with nothing to check --------------------------------------------------------


@pytest.mark.parametrize(
    "target", ["empty folder", "personas/disappointed.yaml", "scenarios/_quick_replies.yaml"]
)
def test_check_with_no_examples_under_the_paths_fails(capsys, tmp_path, target):
    if target == "empty folder":
        path = tmp_path / "empty"
        path.mkdir()
    else:
        path = ROOT / target
    code, out, err = _run(capsys, "check", str(path))
    assert code == 1
    assert "里没有案例示例（examples）" in err and str(path) in err
    assert "0 个通过，0 个失败" not in out
