"""Write scoring/data/lexicon_cache.json from the built-in lexicon YAML (see scoring/lexicon_cache.py).

    python -m tools.build_lexicon_cache

Run it after editing any built-in lexicon (scoring/data/*.yaml), the normalisation rules
(scoring/data/normalization.yaml: cached there with their gates), the slot forms (scoring/data/slots.yaml)
or the code that reads them; until
then the cache is stale, simply unused (the YAML is read), and tests/scoring/test_lexicon_cache.py
fails to remind you.
"""

from __future__ import annotations

from scoring.lexicon import write_lexicon_cache

if __name__ == "__main__":
    print(write_lexicon_cache())
