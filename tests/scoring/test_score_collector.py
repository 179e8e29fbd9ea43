"""`kefu score` and the cyclic garbage collector (scoring.jsonl._long_lived, issue 18 §4): what the
analyzer loaded is set aside (gc.freeze) while the replies are scored, and the collector is left as
it was found afterwards, whatever happened."""

from __future__ import annotations

import gc
import io
import json

import pytest

from scoring.analyzer import Analyzer
from scoring.jsonl import _score_stream
from scoring.lexicon import LexiconError


class Watching:
    """The real analyzer, noting the collector's state at each reply."""

    def __init__(self, analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self.seen: list[tuple[bool, int]] = []

    def load(self) -> None:
        self.analyzer.load()

    def analyze(self, text, context=None):
        self.seen.append((gc.isenabled(), gc.get_freeze_count()))
        self.thresholds = gc.get_threshold()
        return self.analyzer.analyze(text, context)


def _stream(*texts: str) -> io.BytesIO:
    return io.BytesIO("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts).encode())


@pytest.fixture
def collector():
    if gc.get_freeze_count():  # Python 3.12 starts with objects frozen: kefu score then leaves the collector alone
        pytest.skip(f"this Python starts with {gc.get_freeze_count()} objects frozen; kefu score does not freeze then")
    assert gc.isenabled()
    yield
    gc.enable()
    gc.unfreeze()


def test_replies_are_scored_with_the_loaded_objects_set_aside_and_then_given_back(collector, capsys):
    before = gc.get_threshold()
    watching = Watching(Analyzer())
    assert _score_stream(_stream("非常抱歉，马上给您补发", "您好"), "in", watching) == 0
    assert len(watching.seen) == 2
    assert all(enabled and frozen > 1000 for enabled, frozen in watching.seen)  # the lexicons and model among them
    assert watching.thresholds[0] > before[0]  # the youngest generation collected less often while scoring
    assert gc.isenabled() and gc.get_freeze_count() == 0 and gc.get_threshold() == before
    assert [json.loads(line)["solution"] for line in capsys.readouterr().out.splitlines()] == [2, 0]


def test_a_broken_lexicon_leaves_the_collector_running(collector, capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("apology:\n  - rule: x\n    patterns: ['(']\n", encoding="utf-8")
    assert _score_stream(_stream("您好"), "in", Analyzer([bad])) == 2
    assert "kefu score" in capsys.readouterr().err
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_objects_frozen_by_someone_else_stay_frozen(collector, capsys):
    gc.freeze()
    watching = Watching(Analyzer())
    assert _score_stream(_stream("您好"), "in", watching) == 0
    assert gc.get_freeze_count() > 0  # not given back by kefu score: they are not its own
    assert watching.seen[0][0] and gc.isenabled()
