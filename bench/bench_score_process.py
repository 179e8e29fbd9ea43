"""Benchmark: `kefu score` over the real helpdesk replies, as a whole process, against a process that
only runs `jieba.lcut` on the same texts (issue 7 §5: at most 2.0x), and the warm per-reply p50/p99.

    python bench/bench_score_process.py [--data FILE] [--runs N]

Prints figures and ratios, never pass/fail (bench/README.md). Each side is a fresh Python process,
timed from spawn to exit (imports, dictionary loading and writing the output included). The two run
in turn (kefu, jieba, kefu, jieba, …) after one warm-up each, so that a shared machine's drift hits
both alike; the best of --runs is reported for each, and the median of the pair-by-pair ratios of
wall time and of CPU time (user + system of the child, the steadier figure on a loaded machine).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = Path(os.environ.get("KEFU_STC3", REPO.parent / "shared" / "data" / "stc3_helpdesk_cn.jsonl"))
TARGET_RATIO = 2.0
TARGET_P99_MS = 5.0

JIEBA_ONLY = """
import json, sys, logging
import jieba
jieba.setLogLevel(logging.WARNING)
out = sys.stdout
for line in open(sys.argv[1], encoding="utf-8"):
    text = json.loads(line)["text"]
    out.write(json.dumps(jieba.lcut(text), ensure_ascii=False) + "\\n")
"""

WARM = """
import json, sys, time
from scoring import analyze, warm_up
warm_up()
texts = [json.loads(l)["text"] for l in open(sys.argv[1], encoding="utf-8")]
times, cpu = [], []
for t in texts:
    t0 = time.perf_counter(); c0 = time.thread_time(); analyze(t)
    times.append(time.perf_counter() - t0); cpu.append(time.thread_time() - c0)
times.sort(); cpu.sort()
print(json.dumps({"n": len(times), "p50_ms": times[len(times) // 2] * 1000, "p99_ms": times[int(len(times) * 0.99)] * 1000,
                  "cpu_p99_ms": cpu[int(len(cpu) * 0.99)] * 1000}))
"""


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of `cmd` as a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"no corpus at {args.data} (set KEFU_STC3)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / "jieba_only.py"
        probe.write_text(JIEBA_ONLY, encoding="utf-8")
        warm = Path(tmp) / "warm.py"
        warm.write_text(WARM, encoding="utf-8")
        kefu = [sys.executable, "-m", "simulator", "score", str(args.data)]
        jieba_cmd = [sys.executable, str(probe), str(args.data)]
        timed(kefu), timed(jieba_cmd)  # warm-up: file caches, jieba's own cache file
        pairs = [(timed(kefu), timed(jieba_cmd)) for _ in range(args.runs)]  # in turn: paired
        score_s = min(k[0] for k, _ in pairs)
        jieba_s = min(j[0] for _, j in pairs)
        wall_ratio = statistics.median(k[0] / j[0] for k, j in pairs)
        cpu_ratio = statistics.median(k[1] / j[1] for k, j in pairs)
        # The checkout's scoring package, installed or not (a script's own folder is its sys.path[0]).
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)}
        warm_out = subprocess.run([sys.executable, str(warm), str(args.data)], check=True, capture_output=True,
                                  text=True, cwd=REPO, env=env).stdout
    figures = json.loads(warm_out.strip().splitlines()[-1])
    n = figures["n"]
    ratio = score_s / jieba_s
    print(f"replies: {n}  ({args.data.name})")
    print(f"kefu score, whole process:        {score_s:6.2f} s  ({n / score_s:,.0f} replies/s)")
    print(f"jieba.lcut only, whole process:   {jieba_s:6.2f} s")
    print(f"ratio kefu score / jieba only:    {ratio:6.2f}x  (best / best; target <= {TARGET_RATIO}x)")
    print(f"paired ratios, median of {len(pairs)}:     {wall_ratio:6.2f}x wall   {cpu_ratio:6.2f}x cpu")
    print(f"warm analyze per reply:  p50 {figures['p50_ms']:.2f} ms   p99 {figures['p99_ms']:.2f} ms"
          f"  (target p99 <= {TARGET_P99_MS} ms; CPU p99 {figures['cpu_p99_ms']:.2f} ms: a loaded machine's"
          " preemptions show in the wall figure only)")
    try:
        print(f"load average: {os.getloadavg()[0]:.2f}")
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
