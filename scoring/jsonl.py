"""`kefu score`: analyse replies given as JSON lines, and `kefu score --eval` on a labelled file.

Input, one JSON object a line: ``{"id": ..., "text": "...", "context": {...}}`` (id and context
optional; context has the AnalysisContext fields customer_message, issue_topics [{id, keywords}],
fact_topics, previous_replies). Output, one JSON line per input line in the same order:
the id (null if absent), the four levels, violations, evidence and the other analysis fields.
A malformed line gives ``{"id": ..., "error": "line N: ..."}`` and the run goes on (exit 1 at
the end); blank lines are skipped and produce no output. A missing file: exit 2.
"""

from __future__ import annotations

import io
import json
import re
import sys
from typing import IO, Iterator

from pydantic import ValidationError

from scoring.lexicon import LexiconError
from scoring.models import AnalysisContext, ReplyAnalysis

_SURROGATE = re.compile("[\ud800-\udfff]")


def result_record(id_, analysis: ReplyAnalysis) -> dict:
    """The output object for one analysed line (stable key order)."""
    return {
        "id": id_,
        "apology": analysis.apology,
        "empathy": analysis.empathy,
        "question": analysis.question,
        "question_kind": analysis.question_kind,
        "solution": analysis.solution,
        "remedies": [
            {"kind": r.kind.value, "amount_yuan": r.amount_yuan, "percent": r.percent, "full": r.full,
             "time_frame": r.time_frame, "hours": r.hours}
            for r in analysis.remedies
        ],
        "violations": analysis.violation_codes,
        "asks_preference": analysis.asks_preference,
        "thanks": analysis.thanks,
        "commitment": analysis.commitment,
        "issue_topics": analysis.issue_topics,
        "fact_topics": analysis.fact_topics,
        "repeats_turn": analysis.repeats_turn,
        "length": analysis.length,
        "truncated": analysis.truncated,
        "evidence": [
            {"kind": e.kind, "rule": e.rule, "text": e.span.text, "start": e.span.start, "end": e.span.end}
            for e in analysis.evidence
        ],
    }


class LineError(ValueError):
    """A malformed input line; `id` is echoed when it could be read."""

    def __init__(self, message: str, id_=None) -> None:
        super().__init__(message)
        self.id = id_


def parse_line(line: str) -> tuple[object, str, AnalysisContext]:
    """(id, text, context) of one input line, or LineError."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise LineError(f"not valid JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise LineError(f"expected a JSON object, got {type(obj).__name__}")
    id_ = obj.get("id")
    text = obj.get("text")
    if text is None:
        raise LineError("'text' is missing", id_)
    if not isinstance(text, str):
        raise LineError(f"'text' must be a string, got {type(text).__name__}", id_)
    raw_ctx = obj.get("context")
    if raw_ctx is None:
        return id_, text, AnalysisContext()
    if not isinstance(raw_ctx, dict):
        raise LineError(f"'context' must be an object, got {type(raw_ctx).__name__}", id_)
    try:
        return id_, text, AnalysisContext.model_validate(raw_ctx)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise LineError(f"bad context: {where}: {first['msg']}", id_) from None


def _lines(path: str | None) -> Iterator[tuple[int, str]]:
    """Numbered lines of the file (or stdin), read as UTF-8; undecodable bytes become U+FFFD."""
    stream: IO[str]
    if path is None or path == "-":
        buffer = getattr(sys.stdin, "buffer", None)
        stream = io.TextIOWrapper(buffer, encoding="utf-8-sig", errors="replace") if buffer else sys.stdin
        yield from enumerate(stream, 1)
        return
    with open(path, encoding="utf-8-sig", errors="replace") as stream:
        yield from enumerate(stream, 1)


def score_command(path: str | None) -> int:
    """Analyse every line of `path` (stdin when None or '-'); print JSON lines; exit status."""
    from scoring.analyzer import default_analyzer

    try:
        if path not in (None, "-"):
            open(path, encoding="utf-8").close()
    except OSError as exc:
        print(f"kefu score: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    analyzer = default_analyzer()
    try:
        analyzer.warm_up()
    except LexiconError as exc:  # a trainer's lexicon file ($KEFU_LEXICON) is broken
        print(f"kefu score: {exc}", file=sys.stderr)
        return 2
    failed = False
    out = sys.stdout
    for n, line in _lines(path):
        if not line.strip():
            continue  # blank lines are skipped (documented): no output line for them
        try:
            id_, text, ctx = parse_line(line)
            record = result_record(id_, analyzer.analyze(text, ctx))
        except LineError as exc:
            failed = True
            record = {"id": exc.id, "error": f"line {n}: {exc}"}
        # A lone surrogate from a JSON escape (in an id) cannot be written as UTF-8: U+FFFD instead.
        out.write(_SURROGATE.sub("\ufffd", json.dumps(record, ensure_ascii=False)) + "\n")
        out.flush()  # stream: a caller reading the pipe sees each result at once
    return 1 if failed else 0


def load_labelled(path: str) -> list[dict]:
    """Rows of a labelled JSON lines file (blank lines skipped); ValueError on a bad line."""
    rows = []
    with open(path, encoding="utf-8-sig") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not valid JSON: {exc.msg}") from None
            if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not isinstance(row.get("labels"), dict):
                raise ValueError(f"{path}:{n}: expected an object with 'text' and 'labels'")
            rows.append(row)
    return rows


def eval_command(path: str) -> int:
    """Print P/R/F1 of the analyzer against the labelled file `path`; 0 on success, 2 on bad input."""
    from scoring.evaluate import evaluate

    try:
        rows = load_labelled(path)
    except OSError as exc:
        print(f"kefu score --eval: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"kefu score --eval: {exc}", file=sys.stderr)
        return 2
    try:
        report = evaluate(rows)
    except LexiconError as exc:
        print(f"kefu score --eval: {exc}", file=sys.stderr)
        return 2
    print(report.render())
    return 0
