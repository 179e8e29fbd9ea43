"""Benchmark: scoring.analyze against bare jieba segmentation, on real helpdesk replies.

    python bench/bench_analyze.py [--limit N] [--rounds R] [--data FILE] [--profile]

Prints figures and ratios, never pass/fail (see bench/README.md). In one run it measures:
  - the import time of `scoring` in a fresh process, and whether that import loaded jieba (it must not);
  - the cold start: the first `scoring.analyze` call in a fresh process (jieba + lexicons + opencc);
  - (a) bare `jieba.lcut` over every text (jieba initialised first);
  - (b) warm `scoring.analyze` over the same texts, with no context and with a typical context;
  - throughput (replies/s, chars/s) of the best of --rounds passes, the ratio analyze/jieba
    (target <= 1.5x) and analyze's per-reply p50/p99 in that pass (target p99 < 2 ms).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The corpus sits in shared/ beside the checkout (as on CI); $KEFU_STC3 points elsewhere.
DEFAULT_DATA = Path(os.environ.get("KEFU_STC3", REPO.parent / "shared" / "data" / "stc3_helpdesk_cn.jsonl"))
TARGET_RATIO = 1.5
TARGET_P99_MS = 2.0

IMPORT_PROBE = """
import sys, time, json
t0, c0 = time.perf_counter(), time.process_time()
import scoring
t1, c1 = time.perf_counter(), time.process_time()
print(json.dumps({"import_s": t1 - t0, "import_cpu_s": c1 - c0, "jieba_loaded": "jieba" in sys.modules}))
"""

COLD_PROBE = """
import time, json
import scoring
t0, c0 = time.perf_counter(), time.process_time()
scoring.analyze("很抱歉，这件事我们处理得不够周全，给您添麻烦了。您希望换货还是退款？")
t1, c1 = time.perf_counter(), time.process_time()
scoring.analyze("我理解您的心情，我们24小时内为您重新发出。")
t2 = time.perf_counter()
print(json.dumps({"first_s": t1 - t0, "first_cpu_s": c1 - c0, "second_s": t2 - t1}))
"""


def probe(code: str) -> dict:
    """Run code in a fresh interpreter (this one's, from the repo root) and read its JSON line."""
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def load_texts(path: Path, limit: int | None) -> list[str]:
    texts = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                texts.append(json.loads(line)["text"])
            if limit is not None and len(texts) >= limit:
                break
    return texts


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    k = max(0, min(len(sorted_values) - 1, round(q / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k]


@dataclass
class Timing:
    """The best (fastest) pass of one contender: wall and CPU seconds, and its per-call times."""

    wall: float = float("inf")
    cpu: float = 0.0
    calls: list[float] = field(default_factory=list)  # wall seconds per call, ascending
    cpu_calls: list[float] = field(default_factory=list)  # CPU seconds per call, ascending


def one_pass(fn, texts: list[str], timing: Timing) -> None:
    """Run fn over every text; keep this pass in `timing` when it is the fastest so far."""
    calls, cpu_calls = [], []
    wall0, cpu0 = time.perf_counter(), time.thread_time()
    for text in texts:
        t0, c0 = time.perf_counter(), time.thread_time()
        fn(text)
        calls.append(time.perf_counter() - t0)
        cpu_calls.append(time.thread_time() - c0)
    wall = time.perf_counter() - wall0
    if wall < timing.wall:
        timing.wall, timing.cpu = wall, time.thread_time() - cpu0
        timing.calls, timing.cpu_calls = sorted(calls), sorted(cpu_calls)


def typical_context():
    """What the engine passes in a conversation: the customer's line, issue/fact topics, earlier replies."""
    from scoring import AnalysisContext, Topic

    return AnalysisContext(
        customer_message="图片上明明是深棕色，收到的竟然是浅棕色！而且晚了整整三天！",
        issue_topics=[Topic(id="wrong_color", keywords=["颜色", "深棕", "浅棕", "发错"]),
                      Topic(id="late_delivery", keywords=["物流", "晚了", "迟了", "清关"])],
        fact_topics=[Topic(id="order_number", keywords=["订单号", "订单"]), Topic(id="photo", keywords=["照片", "拍"])],
        previous_replies=["非常抱歉，给您添麻烦了！", "您能拍张照片给我看看吗？", "我们24小时内为您重新发出。"],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N texts")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the texts; throughput = best pass")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help=f"JSON lines with 'text' (default {DEFAULT_DATA})")
    parser.add_argument("--profile", action="store_true", help="also print cProfile's top entries for analyze")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(REPO))
    if not args.data.is_file():
        parser.error(f"no data file {args.data} (give --data FILE or set $KEFU_STC3)")
    texts = load_texts(args.data, args.limit)
    if not texts:
        parser.error(f"{args.data} holds no texts")
    n, chars = len(texts), sum(len(t) for t in texts)
    print(f"data: {args.data} — {n} replies, {chars} chars (mean {chars / n:.1f}), {args.rounds} rounds")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")

    imp = probe(IMPORT_PROBE)
    print(f"import scoring (fresh process): {imp['import_s'] * 1000:.0f} ms (cpu {imp['import_cpu_s'] * 1000:.0f} ms); "
          f"jieba loaded by the import: {imp['jieba_loaded']}")
    cold = probe(COLD_PROBE)
    print(f"cold start, first analyze() in a fresh process: {cold['first_s'] * 1000:.0f} ms "
          f"(cpu {cold['first_cpu_s'] * 1000:.0f} ms; second call {cold['second_s'] * 1000:.2f} ms)")

    import jieba
    import scoring

    jieba.setLogLevel(60)
    t0 = time.perf_counter()
    jieba.initialize()
    scoring.warm_up()
    scoring.analyze(texts[0])
    print(f"in-process warm-up (jieba.initialize + scoring.warm_up): {(time.perf_counter() - t0) * 1000:.0f} ms")

    # Rounds interleave the contenders, so a burst of load elsewhere hits them alike.
    context = typical_context()
    contenders = {"jieba.lcut": jieba.lcut, "analyze(text)": scoring.analyze,
                  "analyze(text, context)": lambda text: scoring.analyze(text, context)}
    timings = {name: Timing() for name in contenders}
    for _ in range(args.rounds):
        for name, fn in contenders.items():
            one_pass(fn, texts, timings[name])

    base = timings["jieba.lcut"]
    print()
    print(f"{'':24} {'replies/s':>10} {'chars/s':>10} {'x jieba':>8} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7}"
          f" {'cpu x':>6} {'cpu p99':>8}")
    for name, t in timings.items():
        print(f"{name:24} {n / t.wall:>10.0f} {chars / t.wall:>10.0f} {t.wall / base.wall:>8.2f} "
              f"{percentile(t.calls, 50) * 1000:>7.3f} {percentile(t.calls, 99) * 1000:>7.3f} "
              f"{t.calls[-1] * 1000:>7.3f} {t.cpu / base.cpu:>6.2f} {percentile(t.cpu_calls, 99) * 1000:>8.3f}")
    print(f"(wall clock: time.perf_counter; cpu: time.thread_time, which other processes do not inflate; "
          f"load average now {os.getloadavg()[0]:.2f})")
    t = timings["analyze(text)"]
    ratio, p99 = t.wall / base.wall, percentile(t.calls, 99) * 1000
    print()
    print(f"targets: analyze/jieba <= {TARGET_RATIO}x: {ratio:.2f}x ({'met' if ratio <= TARGET_RATIO else 'MISSED'}); "
          f"p99 < {TARGET_P99_MS} ms: {p99:.3f} ms ({'met' if p99 < TARGET_P99_MS else 'MISSED'}); "
          f"import without jieba: {'met' if not imp['jieba_loaded'] else 'MISSED'}")

    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        for text in texts:
            scoring.analyze(text)
        prof.disable()
        print()
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
