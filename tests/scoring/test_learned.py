"""The learned reader (scoring/learned.py, scoring/combine.py, tools/train_reader.py): deterministic,
explainable, combined by the documented rule, and reproducible from the corpus."""

from __future__ import annotations

import gzip
import importlib.util
import json
import math
import sys
from pathlib import Path

import pytest

from scoring.analyzer import Analyzer
from scoring.learned import HEADS, MODEL_FILE, LearnedReader, features, model_data
from scoring.normalize import normalize

REPO = Path(__file__).resolve().parents[2]


def test_the_shipped_model_is_small_and_complete():
    assert MODEL_FILE.stat().st_size < 5 * 1024 * 1024  # "a few MB at most" (compressed as shipped)
    data = model_data(MODEL_FILE.read_bytes())
    assert tuple(data["heads"]) == HEADS and len(data["bias"]) == len(HEADS)
    assert all(len(w) == len(HEADS) for w in data["features"].values())
    assert {"add.violation"} <= set(data["thresholds"])
    assert len(data["meta"]["writers"]) >= 3  # the corpus writers, not only the team's sets


def test_features_are_character_ngrams_with_their_spans():
    found = features("抱歉,24小时内补发")
    assert found["c:抱歉"] == (0, 2) and found["c:##小"] == (3, 6) and found["c:^抱"] == (0, 1)
    assert found["c:补发$"] == (8, 10) and found["c:内补发"] == (7, 10)
    assert "c:^" not in found and "c:$" not in found  # a bare marker quotes nothing


def test_the_same_reply_reads_the_same_every_time():
    reader = LearnedReader.load()
    a = Analyzer(learned=reader)
    text = "你們這種人我見多了，愛買不買"
    first = a.analyze(text).model_dump_json()
    assert all(Analyzer(learned=reader).analyze(text).model_dump_json() == first for _ in range(3))


def test_a_model_violation_quotes_the_words_that_carried_it():
    """Rules alone miss this (no violation rule for 甩锅给物流 in these words); the model adds it."""
    reader = LearnedReader.load()
    data = {"heads": list(HEADS), "bias": [-5.0] * len(HEADS),
            "features": {"c:物流": [0, 0, 0, 0, 60.0, 0, 0, 60.0, 0, 0, 0]}, "thresholds": {"add.violation": 0.8}}
    toy = LearnedReader(data)
    got = Analyzer(learned=toy).analyze("这是物流")
    assert [v.code.value for v in got.violations] == ["excuse"]
    assert got.violations[0].rule.startswith("model:") and got.violations[0].span.text == "物流"
    assert Analyzer(learned=None).analyze("这是物流").violations == []
    assert reader is not None


def test_the_rules_decisions_on_purpose_stand():
    """A remedy under a stated limit stays no offer whatever the model says (scoring.combine.rule_vetoes)."""
    data = {"heads": list(HEADS), "bias": [-5.0] * len(HEADS),
            "features": {"c:退款": [0, 0, 0, 60.0, 0, 0, 0, 0, 0, 0, 0]}, "thresholds": {"add.solution": 0.5}}
    a = Analyzer(learned=LearnedReader(data))
    assert a.analyze("按规定我这边没有权限直接给您退款").solution == 0
    offered = a.analyze("退款马上安排")
    assert offered.solution >= 1


@pytest.mark.skipif(importlib.util.find_spec("sklearn") is None, reason="scikit-learn is a development tool only")
def test_retraining_reproduces_the_shipped_file_byte_for_byte(tmp_path):
    sys.path.insert(0, str(REPO))
    from tools import train_reader

    out = tmp_path / "model.json.gz"
    assert train_reader.main(["--out", str(out)]) == 0
    # The JSON text byte for byte (its gzip bytes could differ only with another zlib build).
    assert gzip.decompress(out.read_bytes()) == gzip.decompress(MODEL_FILE.read_bytes()), "run: python tools/train_reader.py"


def _fsum_reading(reader: LearnedReader, norm: str) -> dict[str, float]:
    """The model's definition, written plainly: per head, bias + scale × math.fsum of the weights."""
    found = {name for name in features(norm)}
    scale = 1.0 / math.sqrt(len(found)) if found else 0.0
    rows = [reader.weights[name] for name in sorted(found) if name in reader.weights]
    sums = [b + scale * math.fsum(row[i] for row in rows) for i, b in enumerate(reader.bias)]
    return {h: (1.0 / (1.0 + math.exp(-s)) if s >= 0 else math.exp(s) / (1.0 + math.exp(s)))
            for h, s in zip(reader.heads, sums)}


def test_fast_sums_give_the_very_floats_of_fsum():
    """read() sums packed integers (issue 18 §4); every probability must be bit for bit fsum's."""
    reader = LearnedReader.load()
    texts = [json.loads(line)["text"] for path in sorted((REPO / "tests" / "data").glob("corpus*/*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += ["", "1", "  ", "好" * 2000, "抱歉!!!" * 300]
    for text in texts:
        norm = normalize(text[:2000])
        assert reader.read(norm).probabilities == _fsum_reading(reader, norm), text
    # Weights the packed sum cannot hold exactly (tiny, huge) are summed by fsum, with the same result.
    data = {"heads": list(HEADS), "bias": [0.1] * len(HEADS),
            "features": {"c:物流": [1e-30, 3000.0, 0.1, 0.2, 0.3, 0.0, -0.0, 1.5, -2.5, 0, 7],
                         "c:流$": [0.3, -0.1, 0.2, 1e-300, 0, 0, 0, 0, 0, 0, 0],
                         "c:^这": [0.1] * len(HEADS)}}
    toy = LearnedReader(data)
    for text in ("这是物流", "物流", "这", "物流物流"):
        assert toy.read(text).probabilities == _fsum_reading(toy, text), text
