"""`kefu score`: analyse replies given as JSON lines, and `kefu score --eval` on a labelled file.

Input, one JSON object a line: ``{"id": ..., "text": "...", "context": {...}}`` (id and context
optional; context has the AnalysisContext fields customer_message, issue_topics [{id, keywords}],
fact_topics, previous_replies, calendar "YYYY-MM-DDTHH:MM" for the slots' times). Output, one JSON line per input line in the same order:
the id (null if absent), the four levels, violations, evidence and the other analysis fields.
A malformed line gives ``{"id": ..., "error": "line N: ..."}`` and the run goes on (exit 1 at
the end); blank lines are skipped and produce no output. Lines are split on "\\n" only and may be
at most MAX_LINE_BYTES long; a file that cannot be read (missing, a folder, a device) or a line
over the limit: a Chinese message and exit 2 (scoring.inputfile). Input and output
are strict JSON: NaN, Infinity and -Infinity are refused in a line (an error line) and never
written (a number too large for a float, e.g. an amount of 400 digits, is written as null).
"""

from __future__ import annotations

import gc
import json
import math
import os
import re
import stat
import sys
from contextlib import contextmanager
from typing import IO, Callable, Iterator

from pydantic import ValidationError

from scoring.i18n import _
from scoring.inputfile import InputError, bounded_lines, open_input, source_name
from scoring.lexicon import LexiconError
from scoring.models import DIMENSIONS, AnalysisContext, ReplyAnalysis, ViolationCode

_SURROGATE = re.compile("[\ud800-\udfff]")
_CODES = tuple(c.value for c in ViolationCode)


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not allowed")


# One decoder and one encoder for every line: json.loads and json.dumps given any option build a new
# one per call (~2 us each a line; the same settings, the same results).
_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False)  # strict JSON, never NaN


def _line_encoder() -> Callable[[object], str]:
    """_ENCODER.encode for one output line. JSONEncoder.encode builds a new C encoder at every call (with
    its options, and a closure); this one is built once with the very options encode() passes it
    (json.encoder's own c_make_encoder; JSONEncoder.encode itself where that is missing, takes other
    arguments or writes a sample otherwise), ~1.3 us a line
    less. No cycle check: a record is built here and its id comes from JSON text, which holds no cycle;
    too deep an id is a RecursionError either way."""
    make = getattr(json.encoder, "c_make_encoder", None)
    e = _ENCODER
    try:
        chunks = make(None, e.default, json.encoder.encode_basestring, e.indent, e.key_separator, e.item_separator,
                      e.sort_keys, e.skipkeys, e.allow_nan)
        join = "".join
        encode = lambda record: join(chunks(record, 0))  # noqa: E731
        if encode({"a": [1, 2.5, None, True, "é"]}) != e.encode({"a": [1, 2.5, None, True, "é"]}):
            return e.encode
    except TypeError:  # no C encoder here (None), or another signature: the encoder's own way
        return e.encode
    return encode


_encode_line = _line_encoder()
_NO_CONTEXT = AnalysisContext()  # a line without a context (most): one empty context, read only, for all


def strict_loads(line: str):
    """json.loads without the NaN / Infinity / -Infinity extension (they are not JSON).

    Raises json.JSONDecodeError on bad syntax, ValueError on those constants or on an integer too
    long to convert (sys.int_info.str_digits_check_threshold), RecursionError on very deep nesting.
    """
    if line.startswith("\ufeff"):  # json.loads' own check, with its message (the decoder has none)
        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", line, 0)
    return _DECODER.decode(line)


def _load_error(exc: BaseException) -> str:
    """The message for a line json could not load (see strict_loads)."""
    if isinstance(exc, json.JSONDecodeError):
        return _("不是合法的 JSON：{detail}（第 {col} 列）").format(detail=exc.msg, col=exc.colno)
    if isinstance(exc, RecursionError):
        return _("不是合法的 JSON：嵌套太深")
    if "integer string conversion" in str(exc):  # the int max str digits limit
        return _("不是合法的 JSON：整数超过 {n} 位").format(n=sys.get_int_max_str_digits())
    return _("不是合法的 JSON：{detail}").format(detail=exc)


def _finite(x):
    """x, or None for a float that JSON cannot hold (inf, nan)."""
    return None if isinstance(x, float) and not math.isfinite(x) else x


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
            {"kind": r.kind.value, "amount_yuan": _finite(r.amount_yuan), "percent": _finite(r.percent),
             "full": r.full, "time_frame": r.time_frame, "hours": _finite(r.hours)}
            for r in analysis.remedies
        ],
        "violations": analysis.violation_codes,
        "asks_preference": analysis.asks_preference,
        "thanks": analysis.thanks,
        "commitment": analysis.commitment,
        "issue_topics": analysis.issue_topics,
        "fact_topics": analysis.fact_topics,
        "repeats_turn": analysis.repeats_turn,
        "owns_fault": analysis.owns_fault,
        "breezy": analysis.breezy,
        "brush_off": analysis.brush_off,
        "doubts_customer": analysis.doubts_customer,
        "asks_review": analysis.asks_review,
        "offers_choice": analysis.offers_choice,
        "address": analysis.address,
        # issue 17 §1: what each remedy clause offers (kind, object, amount, time, actor, modality)
        "slots": [
            {"kind": sl.kind.value, "object": sl.object, "attributes": sl.attributes,
             "amount_yuan": _finite(sl.amount_yuan), "percent": _finite(sl.percent), "full": sl.full,
             "time": sl.time_text, "due": sl.due, "estimate": sl.estimate, "arrival": sl.arrival,
             "actor": sl.actor, "modality": sl.modality, "text": sl.span.text}
            for sl in analysis.slots
        ],
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
        obj = strict_loads(line)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError
        raise LineError(_load_error(exc)) from None
    if not isinstance(obj, dict):
        raise LineError(_("应当是一个 JSON 对象，这里却是 {type}").format(type=type(obj).__name__))
    id_ = obj.get("id")
    text = obj.get("text")
    if text is None:
        raise LineError(_("缺少 'text'"), id_)
    if not isinstance(text, str):
        raise LineError(_("'text' 必须是字符串，这里却是 {type}").format(type=type(text).__name__), id_)
    raw_ctx = obj.get("context")
    if raw_ctx is None:
        return id_, text, _NO_CONTEXT
    if not isinstance(raw_ctx, dict):
        raise LineError(_("'context' 必须是对象，这里却是 {type}").format(type=type(raw_ctx).__name__), id_)
    try:
        return id_, text, AnalysisContext.model_validate(raw_ctx)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise LineError(_("context 不对：{where}：{detail}").format(where=where, detail=first["msg"]), id_) from None


MAX_LINE_BYTES = 1024 * 1024
"""A JSON line longer than this stops `kefu score` (a reply is a few hundred characters)."""
MAX_LABELLED_BYTES = 64 * 1024 * 1024
"""A labelled file for --eval, read whole into memory, may hold at most this much."""


def _lines(stream: IO[bytes], name: str, total: int | None = None, errors: str = "replace") -> Iterator[tuple[int, str]]:
    """Numbered lines of a binary stream, split on "\\n" only and read as UTF-8 (by default
    undecodable bytes become U+FFFD; with errors="strict", ValueError("name:n: …") instead);
    InputError for a line over MAX_LINE_BYTES or input over `total`."""
    for n, raw in bounded_lines(stream, MAX_LINE_BYTES, name, total):
        try:
            text = raw.decode("utf-8", errors=errors)
        except UnicodeDecodeError as exc:
            raise ValueError(_("{name}:{n}：不是合法的 UTF-8：{reason}").format(name=name, n=n, reason=exc.reason)) from None
        yield n, text.removeprefix("\ufeff") if n == 1 else text


def _close(stream: IO[bytes]) -> None:
    if stream is not getattr(sys.stdin, "buffer", None):
        stream.close()


def score_command(path: str | None) -> int:
    """Analyse every line of `path` (stdin when None or '-'); print JSON lines; exit status."""
    from scoring.analyzer import default_analyzer

    try:
        stream = open_input(path)
    except InputError as exc:
        print(_("kefu score：无法读取输入：{reason}").format(reason=exc.message), file=sys.stderr)
        return 2
    try:
        return _score_stream(stream, source_name(path), default_analyzer())
    except InputError as exc:  # a line too long (/dev/zero through a pipe), a read error
        print(_("kefu score：无法读取输入：{reason}").format(reason=exc.message), file=sys.stderr)
        return 2
    finally:
        _close(stream)


def _score_stream(stream: IO[bytes], name: str, analyzer) -> int:
    with _long_lived() as settled:
        try:
            analyzer.load()  # not warm_up(): jieba loads only if a reply needs its word boundaries
        except LexiconError as exc:  # a trainer's lexicon file ($KEFU_LEXICON) is broken
            print(_("kefu score：{error}").format(error=exc), file=sys.stderr)
            return 2
        settled()
        return _score_lines(stream, name, analyzer)


@contextmanager
def _long_lived() -> Iterator[Callable[[], None]]:
    """What the analyzer loads (the lexicons' patterns, the model's ~28,000 rows of weights) lives as
    long as the run, holds no garbage, and yet the cyclic collector would walk it: during the load
    (hundreds of thousands of new objects set off collections of every generation) and in every
    later collection of the older generations (~20 ms of `kefu score` over 7,841 replies). So the
    collector pauses while the analyzer loads; then `settled()` sets what exists aside (gc.freeze)
    and resumes it; at the end the objects are given back (gc.unfreeze). Nothing is done when the
    collector is off or something else froze objects already (theirs are not ours to give back)."""
    if not gc.isenabled() or gc.get_freeze_count():
        yield lambda: None
        return
    frozen = False

    def settle() -> None:
        nonlocal frozen
        if not frozen:
            gc.freeze()
            frozen = True
            # (a reply's analysis makes a few thousand short-lived objects and no cycles worth chasing each time:
            # the youngest generation is collected every 20,000 allocations, not every 700 — ~1 % of the run)
            gc.set_threshold(20_000, *thresholds[1:])
            gc.enable()

    thresholds = gc.get_threshold()
    gc.disable()
    try:
        yield settle
    finally:
        gc.enable()
        gc.set_threshold(*thresholds)
        if frozen:
            gc.unfreeze()


_REPEATS_KEPT = 10_000
"""How many distinct replies (without context) `kefu score` remembers: a helpdesk export repeats its
canned replies (589 of the 7,841 real ones), and the same reply reads the same (deterministic)."""


def _score_lines(stream: IO[bytes], name: str, analyzer) -> int:
    failed = False
    repeats: dict[str, dict] = {}
    out = sys.stdout
    live = _read_as_written(out)
    for n, line in _lines(stream, name):
        if not line.strip():
            continue  # blank lines are skipped (documented): no output line for them
        try:
            id_, text, ctx = parse_line(line)
            if ctx is _NO_CONTEXT:
                seen = repeats.get(text)
                if seen is None:
                    seen = result_record(None, analyzer.analyze(text, ctx))
                    if len(repeats) < _REPEATS_KEPT:
                        repeats[text] = seen
                record = {**seen, "id": id_}  # "id" keeps its place, first
            else:
                record = result_record(id_, analyzer.analyze(text, ctx))
        except LineError as exc:
            failed = True
            record = {"id": exc.id, "error": _("第 {n} 行：{error}").format(n=n, error=exc)}
        try:
            text_out = _encode_line(record)  # strict JSON, never NaN
        except (ValueError, RecursionError) as exc:  # e.g. an id nested too deeply to write back
            failed = True
            text_out = json.dumps({"id": None, "error": _("第 {n} 行：结果写不出来：{why}").format(n=n, why=_unwritable(exc))},
                                  ensure_ascii=False)
        # A lone surrogate from a JSON escape (in an id) cannot be written as UTF-8: U+FFFD instead
        # (looked for only when the line does not encode: ~40 ns against ~1 us for the regex).
        try:
            text_out.encode("utf-8")
        except UnicodeEncodeError:
            text_out = _SURROGATE.sub("\ufffd", text_out)
        out.write(text_out + "\n")
        if live:
            out.flush()  # stream: a caller reading the pipe sees each result at once
    return 1 if failed else 0


def _read_as_written(out: IO[str]) -> bool:
    """Whether someone may be reading `out` line by line (a terminal, a pipe, a socket): then each
    result is flushed at once; a file or /dev/null takes them buffered (one write per ~8 KB)."""
    try:
        mode = os.fstat(out.fileno()).st_mode
    except (AttributeError, OSError, ValueError):  # no file behind it (a test's StringIO): as a pipe
        return True
    return out.isatty() or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def _unwritable(exc: Exception) -> str:
    """Why a result cannot be written as JSON, in the user's words (never the library's English)."""
    if isinstance(exc, RecursionError):
        return _("嵌套层数太深")
    return _("含有 JSON 不允许的数值（NaN 或无穷大）")


def _show(value) -> str:
    """A short rendering of a bad value for an error message."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _check_row(row) -> str | None:
    """What is wrong with one labelled row ("<field>: <what is allowed>"), or None when it is fine."""
    if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not isinstance(row.get("labels"), dict):
        return "expected an object with 'text' and 'labels'"
    labels = row["labels"]
    for d in DIMENSIONS:  # a missing level means 0
        level = labels.get(d, 0)
        if type(level) is not int or not 0 <= level <= 2:  # bool and float are refused too
            return f"labels.{d}: must be 0, 1 or 2 (got {_show(level)})"
    violations = labels.get("violations", [])  # missing means none
    bad = [v for v in violations if not (isinstance(v, str) and v in _CODES)] if isinstance(violations, list) else None
    if bad is None or bad:
        got = _show(violations) if bad is None else _show(bad[0])
        return f"labels.violations: must be a list of violation codes ({', '.join(_CODES)}), got {got}"
    ctx = row.get("context")
    if ctx is not None:
        if not isinstance(ctx, dict):
            return f"context: must be an object (AnalysisContext fields), got {type(ctx).__name__}"
        try:
            AnalysisContext.model_validate(ctx)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(["context", *(str(p) for p in first["loc"])])
            return f"{where}: {first['msg']}"
    return None


def load_labelled(path: str) -> list[dict]:
    """Rows of a labelled JSON lines file (blank lines skipped).

    ValueError("{path}:{n}: <field>: <what is allowed>") on a bad line: not JSON (or NaN, very deep
    nesting, a huge integer), a level not 0/1/2, violations not a list of known codes, a context
    that is not an AnalysisContext; ValueError("no labelled rows in {path}") when there is no row.
    """
    rows = []
    stream = open_input(path)  # InputError (a ValueError) when refused
    try:
        for n, line in _lines(stream, path, MAX_LABELLED_BYTES, errors="strict"):
            if not line.strip():
                continue
            try:
                row = strict_loads(line)
            except (ValueError, RecursionError) as exc:
                raise ValueError(f"{path}:{n}: {_load_error(exc)}") from None
            problem = _check_row(row)
            if problem:
                raise ValueError(f"{path}:{n}: {problem}")
            rows.append(row)
    finally:
        _close(stream)
    if not rows:
        raise ValueError(_("{path} 里没有标注行").format(path=path))
    return rows


def eval_command(path: str) -> int:
    """Print P/R/F1 of the analyzer against the labelled file `path`; 0 on success, 2 on bad input."""
    from scoring.evaluate import evaluate

    try:
        rows = load_labelled(path)
    except OSError as exc:
        print(_("kefu score --eval：读不了 {path}：{reason}").format(path=path, reason=exc.strerror or exc), file=sys.stderr)
        return 2
    except ValueError as exc:
        print(_("kefu score --eval：{error}").format(error=exc), file=sys.stderr)
        return 2
    try:
        report = evaluate(rows)
    except LexiconError as exc:
        print(_("kefu score --eval：{error}").format(error=exc), file=sys.stderr)
        return 2
    print(report.render())
    return 0
