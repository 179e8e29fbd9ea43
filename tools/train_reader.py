"""Train the learned reader (scoring/learned.py) and choose its combination thresholds.

    python tools/train_reader.py                 # train on every training set, write scoring/data/reader_model.json.gz
                                                 # (and its fast form, scoring/data/reader_model.fast)
    python tools/train_reader.py --report        # also print leave-one-writer-out figures
    python tools/train_reader.py --out FILE      # write elsewhere (the reproducibility test does)

Development only: needs scikit-learn and scipy (not runtime dependencies of kefu).

Training rows: the development sets (tests/data/devset.jsonl, devset_meaning.jsonl) and every
writer's file in tests/data/corpus/*.jsonl. Never the hold-out sets (holdout.jsonl,
holdout_blind.jsonl): they are measured only (`--report` prints them with the final model).

Thresholds (scoring/combine.py) are chosen by leave-one-writer-out over every training file (each
corpus writer, and each development set as one more writer): for each, a model trained without it
reads its rows; the thresholds that maximise the mean figures over them are kept. The development
sets weigh for the rules (they were written on them), which keeps the model from overruling the
rules on guide-like text. The `--report` figures for a corpus writer use thresholds chosen without
that writer (nested), so no figure is measured on what chose it.

Reproducible: the same rows give a byte-identical file (fixed feature order, deterministic solver,
rounded weights, sorted JSON).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import sys
from dataclasses import dataclass
from itertools import product
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scoring.analyzer import MAX_CHARS, Analyzer  # noqa: E402
from scoring.combine import KEYWORD_HEADS  # noqa: E402
from scoring.learned import (  # noqa: E402
    CODE_HEADS, DIMENSION_HEADS, HEADS, MODEL_FILE, features, is_phrase, write_fast_form)
from scoring.models import AnalysisContext  # noqa: E402
from scoring.normalize import normalize  # noqa: E402

DATA = REPO / "tests" / "data"
DEV_SETS = ("devset.jsonl", "devset_meaning.jsonl")
DEV_STEMS = frozenset(Path(n).stem for n in DEV_SETS)
MEASURE_ONLY = ("holdout.jsonl", "holdout_blind.jsonl")
C = 30.0  # inverse regularisation strength of every head (round 4, 28 writers, pooled leave-one-writer-out: C 1 / 3 / 10 / 30 gave any-violation 0.930 / 0.945 / 0.954 / 0.959, right code 0.828 / 0.855 / 0.872 / 0.885)
MIN_DF = 5  # a feature must occur in at least this many training replies (round 4: 2 made the file 6.1 MB with 28 writers; round 10: 3 made it 5.6 MB with 45; round 12: 4 made it over 5 MiB with 71)
DECIMALS = 4

# Threshold grids (2.0: never add; -1.0: never drop), chosen by leave-one-writer-out over 12 writers.
# Training rows were about half violations, real chats almost never: a violation is added only from
# 0.8 and only when a phrase carries it (scoring.combine). Measured on the 7,841 real replies of
# shared/data with the model of 13 training sets: adding from 0.5 flagged 2.86 %, 0.6 1.42 %, 0.7 0.78 %,
# 0.8 0.51 %, 0.9 0.42 % (rules alone 0.41 %); the issue allows 0.5 %. Round 3 added two writers of
# ordinary replies (routine, techsupport: status, causes, steps, small talk): with them the model of 18
# training sets flags 0.55 -> 0.80 %, 0.65 -> 0.61 %, 0.7 -> 0.56 %, 0.75 -> 0.51 %, 0.8 -> 0.46 %,
# 0.85 -> 0.45 %, so the floor moved from 0.85 to 0.8. Dimensions may be added from
# 0.6 (leave-one-writer-out would take 0.5, but that adds empathy to 希望您能理解 at 0.57, a guide case
# in the unit tests) and a rule's level taken back up to 0.4.
ADD_GRID = (0.6, 0.7, 0.8, 0.9, 2.0)
DROP_GRID = (-1.0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4)
# Round 4: C 30 makes the model surer, so its floor is 0.9: on the 7,841 real replies C 30 flagged 51 at 0.8, 44 at
# 0.85, 39 at 0.9 (C 3 at 0.8: 39), leave-one-writer-out any-violation / right code 0.952 / 0.872 at 0.9 (C 3: 0.945 / 0.855).
# Round 12: with 71 writers (MIN_DF 5) the model flagged 45 of the 7,841 at 0.9 and 37 at 0.95, and the floor was
# 0.95 for a while; with 74 (routine2, ordinary replies, among them) leave-one-writer-out chose 0.9 with drop 0.1,
# which flags 37 (0.47 %): the floor is back at 0.9.
# Round 13: with 80 writers (hkg5, rural2, qa5, hkg6, subtle4, final17 new) the model flagged 41 of the 7,841 at 0.9
# (0.52 %), 36 at 0.92 and 33 at 0.95 (drop 0.1): the floor is 0.92.
# Round 16: with 97 writers (final22, final23, subtle5 and rude4 new) the model flagged 42 of the 7,841 at 0.92 (0.54 %),
# 39 at 0.93 (0.50 %), 38 at 0.94 and 36 at 0.95: the floor is 0.93.
# Round 17: with 102 writers (final24, final25, final26, final28 and final29 new) the model flagged 40 of the 7,841 at 0.93
# (0.51 %), 38 at 0.94 (0.48 %) and 36 at 0.95: the floor is 0.94.
# Round 18: with 107 writers (final27, final31, final32, final33 and final34 new) the model flagged 40 at 0.94 (0.51 %)
# and 36 at 0.95 (0.46 %): the floor is 0.95.
VIOLATION_ADD_GRID = (0.95, 0.96, 2.0)
# Apology and empathy are given on a keyword (深表歉意, 感同身受): the model takes such a level back only
# when it is nearly sure (round 3's grid chose 0.2, which took back the guide's 我们深表歉意 at 0.17).
KEYWORD_DROP_GRID = (-1.0, 0.02, 0.05, 0.1)
# An apology is never taken back (round 4): with 28 writers the model put 再送一张20元券表示歉意 at 0.024
# (歉意 is rare in training) and took back a plain apology, while its drops on the corpus were 7 replies
# in 13,070. A rule's apology keyword stands; empathy, read from the situation, may still be taken back.
NEVER_DROPPED = ("apology",)
# Round 13: with 78 writers leave-one-writer-out chose to take back the rules' violations only at 0.05, which keeps
# five more of them on the 7,841 real replies: 44 (0.56 %), over the 0.5 %; from 0.1 up, 39 (0.50 %).
VIOLATION_DROP_GRID = (0.1, 0.2, 0.3)
# Round 16: 0.5 joins the grid: a second code the model finds more likely than not. On final22 and final23 (spent,
# not in training) with round 15's model, right code 0.769 at 0.6 and 0.774 at 0.5 (0.4: 0.780 — not offered: below
# even odds the code is a guess); any-violation and the real replies do not move (a code only beside the rules').
CODE_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 2.0)  # a second code beside the rules' when the model is sure of it
# Labels a writer's own report shows to be unreliable: those heads neither learn from nor measure its rows.
# final4 put the level of a question under `solution` (tests/data/corpus/README.md); its other labels hold.
UNUSED_LABELS: dict[str, frozenset[str]] = {"final4": frozenset({"question", "solution"})}


@dataclass
class Row:
    """One labelled reply, read once by the rules and featurised once."""

    writer: str
    id: str
    text: str
    script: str
    tags: tuple[str, ...]
    gold: dict  # head -> 0/1, and "codes" -> set
    rules: dict  # dimension -> level, "codes" -> set, "own" -> dimension -> features inside the rule's evidence
    feats: list[str]


def load_rows() -> tuple[list[Row], dict[str, list[Row]]]:
    """(training rows, measure-only rows by set name)."""
    rules = Analyzer(learned=None)
    files = [(p.stem, p) for p in (DATA / name for name in DEV_SETS)]
    files += [(p.stem, p) for p in sorted((DATA / "corpus").glob("*.jsonl"))]
    measure = [(p.stem, DATA / p.name) for p in (Path(n) for n in MEASURE_ONLY)]

    def read(writer: str, path: Path) -> list[Row]:
        out = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            raw = json.loads(line)
            labels = raw["labels"]
            codes = set(labels.get("violations") or [])
            gold = {d: int(int(labels.get(d, 0)) > 0) for d in DIMENSION_HEADS}
            gold["violation"] = int(bool(codes))
            gold.update({c: int(c in codes) for c in CODE_HEADS})
            gold["codes"] = codes
            a, vetoes = rules.read(raw["text"], AnalysisContext(**(raw.get("context") or {})))
            got = {d: getattr(a, d) for d in DIMENSION_HEADS}
            got["codes"] = set(a.violation_codes)
            got["vetoes"] = vetoes
            norm = normalize(raw["text"][:MAX_CHARS])
            found = features(norm)
            feats = sorted(found)
            spans = {d: [(e.span.start, e.span.end) for e in a.evidence if e.kind == d and e.span]
                     for d in DIMENSION_HEADS}
            got["own"] = {d: {f for f, (s, e) in found.items() if any(x <= s and e <= y for x, y in spans[d])}
                          for d in DIMENSION_HEADS}  # as Reading.beside leaves them out
            out.append(Row(writer, str(raw.get("id")), raw["text"], raw.get("script", "simplified"),
                           tuple(raw.get("tags") or ()), gold, got, feats))
        return out

    train = [r for writer, path in files for r in read(writer, path)]
    held = {name: read(name, path) for name, path in measure if path.exists()}
    return train, held


def fit(rows: list[Row]) -> dict:
    """A model (the JSON-ready dict) trained on `rows`."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    df: dict[str, int] = {}
    for r in rows:
        for f in r.feats:
            df[f] = df.get(f, 0) + 1
    vocab = sorted(f for f, n in df.items() if n >= MIN_DF)
    index = {f: i for i, f in enumerate(vocab)}
    indptr, indices, values = [0], [], []
    for r in rows:
        kept = [index[f] for f in r.feats if f in index]
        indices.extend(kept)
        values.extend([1.0 / math.sqrt(len(r.feats))] * len(kept))  # as LearnedReader.read scales them
        indptr.append(len(indices))
    x = csr_matrix((np.array(values), np.array(indices, dtype=np.int64), np.array(indptr)),
                   shape=(len(rows), len(vocab)))
    weights = np.zeros((len(vocab), len(HEADS)))
    bias = []
    for j, head in enumerate(HEADS):
        used = [i for i, r in enumerate(rows) if head not in UNUSED_LABELS.get(r.writer, ())]
        y = np.array([rows[i].gold[head] for i in used])
        if y.min() == y.max():  # a head with one class only: a constant
            weights[:, j] = 0.0
            bias.append(8.0 if y.max() else -8.0)
            continue
        model = LogisticRegression(C=C, solver="liblinear", random_state=0, max_iter=1000)
        model.fit(x if len(used) == len(rows) else x[used], y)
        weights[:, j] = model.coef_[0]
        bias.append(float(model.intercept_[0]))
    features_out = {}
    for f, i in index.items():
        w = [round(float(v), DECIMALS) for v in weights[i]]
        if any(w):
            features_out[f] = [v if v else 0 for v in w]
    return {"heads": list(HEADS), "bias": [round(b, DECIMALS) for b in bias], "features": features_out}


def probabilities(model: dict, rows: list[Row]) -> list[dict[str, float]]:
    """What the model (as shipped) says of each row."""
    from scoring.learned import _sigmoid

    out = []
    for r in rows:
        scale = 1.0 / math.sqrt(len(r.feats)) if r.feats else 0.0
        pushes: list[list] = [[] for _ in model["heads"]]
        columns: list[list[float]] = [[] for _ in model["heads"]]
        for f in r.feats:
            w = model["features"].get(f)
            if w:
                for i, v in enumerate(w):
                    columns[i].append(v)
                    if v:
                        pushes[i].append((v * scale, f, (0, 0)))
        sums = [b + scale * math.fsum(c) for b, c in zip(model["bias"], columns)]  # as LearnedReader.read
        p = {h: _sigmoid(s) for h, s in zip(model["heads"], sums)}
        p.update({f"phrase.{h}": _sigmoid(b + math.fsum(w for w, f, _ in c if is_phrase(f)))
                  for h, b, c in zip(model["heads"], model["bias"], pushes)})  # as Reading.from_phrases
        own = r.rules.get("own") or {}
        for h, b, c in zip(model["heads"], model["bias"], pushes):
            if h in KEYWORD_HEADS:  # as Reading.beside
                rest = math.fsum(w for w, f, _ in c if f not in own.get(h, ()))
                p[f"beside.{h}"] = 1.0 if rest >= 0 else _sigmoid(b + rest)
        out.append(p)
    return out


# ---- the combination rule, as scoring/combine.py applies it ------------------------------------

def combined(r: Row, p: dict[str, float], t: dict[str, float]) -> tuple[dict[str, int], set[str]]:
    levels = {}
    for d in DIMENSION_HEADS:
        level = r.rules[d]
        if level == 0 and d not in r.rules["vetoes"] and p[d] >= t.get(f"add.{d}", 2.0):
            level = 1
        elif (level > 0 and f"keep.{d}" not in r.rules["vetoes"] and p[d] <= t.get(f"drop.{d}", -1.0)
              and p.get(f"beside.{d}", p[d]) <= t.get(f"drop.{d}", -1.0)):
            level = 0
        levels[d] = level
    codes = set(r.rules["codes"])
    best = max(CODE_HEADS, key=lambda c: (p[c], -CODE_HEADS.index(c)))
    add = t.get("add.violation", 2.0)
    if not codes and p["violation"] >= add and p["phrase.violation"] >= add and best not in r.rules["vetoes"]:
        codes = {best}
    elif codes and p["violation"] <= t.get("drop.violation", -1.0):
        codes = set()
    elif codes:
        codes |= {c for c in CODE_HEADS if c not in r.rules["vetoes"] and p[f"phrase.{c}"] >= t.get("add.code", 2.0)}
    return levels, codes


def f1(tp: int, fp: int, fn: int) -> float:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return 2 * p * r / (p + r) if p + r else 0.0


def figures(rows: list[Row], probs: list[dict], t: dict[str, float]) -> dict[str, float]:
    """macro-F1, per-dimension F1, any-violation F1 and right code, as scoring.evaluate counts them."""
    counts = {d: [0, 0, 0] for d in (*DIMENSION_HEADS, "any")}
    coded = right = 0
    for r, p in zip(rows, probs):
        levels, codes = combined(r, p, t)
        for d in DIMENSION_HEADS:
            if d in UNUSED_LABELS.get(r.writer, ()):
                continue
            e, g = r.gold[d] > 0, levels[d] > 0
            counts[d][0] += e and g
            counts[d][1] += g and not e
            counts[d][2] += e and not g
        e, g = bool(r.gold["codes"]), bool(codes)
        counts["any"][0] += e and g
        counts["any"][1] += g and not e
        counts["any"][2] += e and not g
        coded += len(r.gold["codes"])
        right += len(r.gold["codes"] & codes)
    out = {d: f1(*counts[d]) for d in DIMENSION_HEADS}
    out["macro"] = sum(out[d] for d in DIMENSION_HEADS) / len(DIMENSION_HEADS)
    out["any"] = f1(*counts["any"])
    out["right_code"] = right / coded if coded else 1.0
    out["rows"] = len(rows)
    return out


def choose(folds: list[tuple[list[Row], list[dict]]]) -> dict[str, float]:
    """Thresholds maximising the mean over folds (each dimension alone; violations together)."""
    chosen: dict[str, float] = {}
    for d in DIMENSION_HEADS:
        best = None
        drops = (-1.0,) if d in NEVER_DROPPED else KEYWORD_DROP_GRID if d in KEYWORD_HEADS else DROP_GRID
        for add, drop in product(ADD_GRID, drops):
            t = {f"add.{d}": add, f"drop.{d}": drop}
            score = sum(figures(rows, probs, t)[d] for rows, probs in folds) / len(folds)
            key = (round(score, 6), -abs(add - 2.0) * 0 - (add < 2.0) - (drop > -1.0))  # ties: fewer moves
            if best is None or key > best[0]:
                best = (key, add, drop)
        chosen[f"add.{d}"], chosen[f"drop.{d}"] = best[1], best[2]
    best = None
    for add, drop, code in product(VIOLATION_ADD_GRID, VIOLATION_DROP_GRID, CODE_GRID):
        t = {"add.violation": add, "drop.violation": drop, "add.code": code}
        score = sum((f := figures(rows, probs, t))["any"] + f["right_code"] for rows, probs in folds) / len(folds)
        key = (round(score, 6), -(add < 2.0) - (drop > -1.0) - (code < 2.0))
        if best is None or key > best[0]:
            best = (key, add, drop, code)
    chosen["add.violation"], chosen["drop.violation"], chosen["add.code"] = best[1], best[2], best[3]
    return {k: v for k, v in chosen.items() if (k.startswith("add.") and v < 2.0) or (k.startswith("drop.") and v > -1.0)}


def lowo(rows: list[Row]) -> dict[str, tuple[list[Row], list[dict]]]:
    """For each corpus writer: its rows and what a model trained without it says of them."""
    writers = sorted({r.writer for r in rows})
    out = {}
    for w in writers:
        model = fit([r for r in rows if r.writer != w])
        test = [r for r in rows if r.writer == w]
        out[w] = (test, probabilities(model, test))
    return out


def write_model(model: dict, path: Path) -> None:
    """The model as sorted JSON, one feature per line (byte-identical for the same model), gzip-compressed when
    `path` ends in .gz (the shipped scoring/data/reader_model.json.gz; `gunzip -c` shows the diffable text)."""
    head = {k: v for k, v in model.items() if k != "features"}
    lines = ["{"]
    for k in sorted(head):
        lines.append(f"{json.dumps(k)}: {json.dumps(head[k], ensure_ascii=False, sort_keys=True)},")
    lines.append('"features": {')
    items = sorted(model["features"].items())
    for i, (f, w) in enumerate(items):
        comma = "," if i + 1 < len(items) else ""
        lines.append(f"{json.dumps(f, ensure_ascii=False)}: {json.dumps(w)}{comma}")
    lines.append("}}")
    text = ("\n".join(lines) + "\n").encode("utf-8")
    # The shipped file is gzip-compressed (no name, no time in its header: the same model, the same bytes).
    path.write_bytes(gzip.compress(text, 9, mtime=0) if path.name.endswith(".gz") else text)


def _line(name: str, f: dict) -> str:
    return (f"{name:<16}{f['rows']:>5}  macro {f['macro']:.3f}  (A {f['apology']:.3f} E {f['empathy']:.3f} "
            f"Q {f['question']:.3f} S {f['solution']:.3f})  any {f['any']:.3f}  code {f['right_code']:.3f}")


def report(rows: list[Row], folds: dict, final: dict, thresholds: dict, held: dict[str, list[Row]]) -> None:
    print("leave-one-writer-out (thresholds chosen without the writer; rules alone, then combined):")
    for w, (test, probs) in folds.items():
        if w in DEV_STEMS:
            continue  # the rules were written on these: their figures say nothing of new writers
        others = [folds[o] for o in folds if o != w] or [folds[w]]
        t = choose(others)
        print(_line(f"{w} rules", figures(test, probs, {})))
        print(_line(f"{w} combined", figures(test, probs, t)))
        for label, keep in (("traditional", lambda r: r.script == "traditional"),
                            ("simplified", lambda r: r.script != "traditional"),
                            ("typo/pinyin", lambda r: "typo" in r.tags)):
            sub = [(r, p) for r, p in zip(test, probs) if keep(r)]
            if sub:
                print(_line(f"  {label}", figures([r for r, _ in sub], [p for _, p in sub], t)))
    every = [r for w, (test, _) in folds.items() if w not in DEV_STEMS for r in test]
    probs = [p for w, (_, ps) in folds.items() if w not in DEV_STEMS for p in ps]
    if every:
        print(_line("all writers rules", figures(every, probs, {})))
        print(_line("all writers comb.", figures(every, probs, thresholds)))
    print("measure-only sets (final model, final thresholds):")
    for name, test in held.items():
        ps = probabilities(final, test)
        print(_line(f"{name} rules", figures(test, ps, {})))
        print(_line(f"{name} combined", figures(test, ps, thresholds)))
    print("thresholds:", json.dumps(thresholds, sort_keys=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=MODEL_FILE, help="where to write the model")
    parser.add_argument("--report", action="store_true", help="print leave-one-writer-out figures")
    args = parser.parse_args(argv)
    rows, held = load_rows()
    folds = lowo(rows)
    thresholds = choose(list(folds.values())) if folds else {}
    model = fit(rows)
    model["thresholds"] = thresholds
    writers = sorted({r.writer for r in rows})
    model["meta"] = {"rows": len(rows), "writers": writers, "C": C, "min_df": MIN_DF}
    write_model(model, args.out)
    if args.out.resolve() == MODEL_FILE.resolve():  # the shipped model: its derived fast form too (scoring.learned)
        print(f"wrote {write_fast_form()}", file=sys.stderr)
    if args.report:
        report(rows, folds, model, thresholds, held)
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB, {len(model['features'])} features, "
          f"{len(rows)} rows from {', '.join(writers)})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
