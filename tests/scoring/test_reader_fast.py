"""scoring/data/reader_model.fast: the learned model's fast form must be exactly reader_model.json.gz's model."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from scoring import learned
from scoring.learned import (FAST_FILE, MODEL_FILE, HEADS, LearnedReader, fast_form, model_data, read_fast_form,
                             write_fast_form)
from scoring.normalize import normalize

DATA = Path(__file__).resolve().parents[1] / "data"


def _texts(limit: int = 400) -> list[str]:
    texts = []
    for path in (DATA / "devset.jsonl", DATA / "corpus" / "rude.jsonl", DATA / "corpus" / "tw.jsonl"):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts[:limit]


def _from_json(path: Path = MODEL_FILE) -> LearnedReader:
    return LearnedReader(model_data(path.read_bytes()))


def _skip_unless_built_for_this_python():
    """The fast form is keyed by the Python version (marshal's format); it is built with the shipped lexicon
    cache, which records the interpreter it was built for. Under another Python the JSON is read."""
    import sys

    import scoring.lexicon_cache as lexicon_cache
    built_for = json.loads(lexicon_cache.CACHE_FILE.read_bytes()).get("built_for") or ""
    here = f"python {sys.version_info[0]}.{sys.version_info[1]}"
    if here not in built_for:
        pytest.skip(f"the shipped fast form was built with the lexicon cache ({built_for}); here ({here}) the "
                    "model is read from reader_model.json.gz, which the other tests here check against it")


def test_the_shipped_fast_form_is_current(tmp_path):
    """Fails after training or an edit of scoring/learned.py until `python -m tools.build_reader_fast`
    is run (the fast form is then stale and unused: correct, only slower)."""
    _skip_unless_built_for_this_python()
    raw = MODEL_FILE.read_bytes()
    assert read_fast_form(raw) is not None, ("scoring/data/reader_model.fast is stale (or built under another "
                                             "Python): run `python -m tools.build_reader_fast`")
    assert read_fast_form(raw) == fast_form(model_data(raw))
    rebuilt = write_fast_form(MODEL_FILE, tmp_path / "reader_model.fast")
    assert rebuilt.read_bytes() == FAST_FILE.read_bytes(), "rebuild it: `python -m tools.build_reader_fast`"


def test_the_fast_form_gives_the_models_very_weights_and_readings():
    fast, slow = LearnedReader.load(), _from_json()
    if isinstance(fast.weights, dict):
        pytest.skip("no fresh fast form here")
    assert len(fast.weights) == len(slow.weights) and set(fast.weights) == set(slow.weights)
    for name, row in slow.weights.items():  # unpacked floats equal the JSON's, bit for bit
        assert [w.hex() for w in fast.weights[name]] == [float(w).hex() for w in row], name
    assert "c:不存在的特征" not in fast.weights and fast.weights.get("x:抱歉") is None
    assert (fast.heads, fast.bias, fast.thresholds, fast.meta) == (slow.heads, slow.bias, slow.thresholds, slow.meta)
    for text in _texts():
        norm = normalize(text)
        a, b = fast.read(norm), slow.read(norm)
        assert a.probabilities == b.probabilities, text
        for head in HEADS:
            assert a.contributions(head) == b.contributions(head), (text, head)
            assert a.because(head, False) == b.because(head, False)
            assert a.from_phrases(head) == b.from_phrases(head)


def test_a_stale_or_broken_fast_form_is_not_used(tmp_path):
    model = tmp_path / "reader_model.json.gz"
    shutil.copyfile(MODEL_FILE, model)
    fast = write_fast_form(model)
    assert fast == tmp_path / "reader_model.fast"
    assert not isinstance(LearnedReader.load(model).weights, dict)  # fresh: used
    data = model_data(model.read_bytes())
    name = next(iter(data["features"]))
    data["features"][name] = [w + 1.0 for w in data["features"][name]]  # the model retrained
    model.write_bytes(gzip.compress(json.dumps(data, ensure_ascii=False).encode("utf-8")))
    stale = LearnedReader.load(model)
    assert isinstance(stale.weights, dict) and stale.weights[name] == data["features"][name]  # the JSON's
    write_fast_form(model)
    fast.write_bytes(fast.read_bytes()[:-1000])  # cut short
    assert isinstance(LearnedReader.load(model).weights, dict)
    fast.write_bytes(b"")
    assert isinstance(LearnedReader.load(model).weights, dict)
    fast.unlink()
    assert LearnedReader.load(model).read(normalize("非常抱歉")).probabilities == \
        _from_json().read(normalize("非常抱歉")).probabilities
    assert LearnedReader.load(tmp_path / "absent.json") is None


def test_the_fast_form_key_covers_the_packing_code(monkeypatch):
    raw = MODEL_FILE.read_bytes()
    key = learned.fast_key(raw)
    assert learned.fast_key(raw + b" ") != key
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: real(self) + b"#" if self.name == "learned.py" else real(self))
    assert learned.fast_key(raw) != key
