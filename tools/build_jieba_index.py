"""Write scoring/data/jieba_index.json for the installed jieba's dictionary (see scoring/wordcut.py).

    python -m tools.build_jieba_index

Only needed after jieba itself changes (another version, another dict.txt); until then the index
is simply unused (scoring.wordcut computes it, ~0.1 s) and tests/scoring/test_wordcut.py says so.
"""

from __future__ import annotations

from scoring.wordcut import write_index

if __name__ == "__main__":
    print(write_index())
