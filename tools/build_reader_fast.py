"""Write scoring/data/reader_model.fast, the learned model's fast form (see scoring/learned.py).

    python -m tools.build_reader_fast

Run it after training (tools/train_reader.py writes reader_model.json.gz, the trained artefact) or after
editing scoring/learned.py; until then the fast form is stale, simply unused (the JSON is read: the
same model, ~0.1 s slower), and tests/scoring/test_reader_fast.py fails to remind you.
"""

from __future__ import annotations

from scoring.learned import write_fast_form

if __name__ == "__main__":
    print(write_fast_form())
