"""`kefu results --format xapi`: xAPI 1.0.3 statements, checked against the spec's required structure
(actor with one inverse functional identifier, verb and object IRIs, result, context, version)."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from urllib.parse import urlparse

from desk_cohort import fixed_clock, small_cohort
from records_helpers import kefu, run_exam, write_replies

from simulator.cli import main
from simulator.desk.xapi import EXTENSION_BASE, iso_duration, registration
from simulator.records.store import open_store

DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def _iri(value: str) -> bool:
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc)


def _language_map(value) -> bool:
    return isinstance(value, dict) and value and all(re.fullmatch(r"[a-z]{2}(-[A-Z]{2})?", k) for k in value)


def check_statement(s: dict) -> None:
    """The parts of xAPI 1.0.3 (§2.4) a statement must satisfy for an LRS to accept it."""
    assert str(uuid.UUID(s["id"])) == s["id"]
    actor = s["actor"]
    assert actor["objectType"] == "Agent"
    ifis = [k for k in ("mbox", "mbox_sha1sum", "openid", "account") if k in actor]
    assert ifis == ["account"]  # exactly one inverse functional identifier
    assert _iri(actor["account"]["homePage"]) and actor["account"]["name"]
    assert _iri(s["verb"]["id"]) and _language_map(s["verb"]["display"])
    obj = s["object"]
    assert obj["objectType"] == "Activity" and _iri(obj["id"])
    assert _iri(obj["definition"]["type"]) and _language_map(obj["definition"]["name"])
    result = s["result"]
    assert isinstance(result["completion"], bool)
    assert DURATION.match(result["duration"]), result["duration"]
    if "score" in result:
        score = result["score"]
        assert -1 <= score["scaled"] <= 1 and score["min"] <= score["raw"] <= score["max"]
        assert score["scaled"] == round(score["raw"] / score["max"], 4)
        assert isinstance(result["success"], bool)
    context = s["context"]
    assert str(uuid.UUID(context["registration"])) == context["registration"]
    assert all(_iri(k) for k in context["extensions"])
    assert TIMESTAMP.match(s["timestamp"])
    assert s["version"] == "1.0.3"


def _statements(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_a_real_attempt_becomes_a_passed_or_failed_statement(db_url, tmp_path, capsys):
    played = run_exam(capsys, db_url, "张三", write_replies(tmp_path / "r"))
    assert played.code == 0, played.err
    doc = played.json()
    result = kefu(capsys, "results", "--db", db_url, "--format", "xapi")
    assert result.code == 0, result.err
    (s,) = _statements(result.out)
    check_statement(s)
    assert s["verb"]["id"] == ("http://adlnet.gov/expapi/verbs/passed" if doc["passed"]
                               else "http://adlnet.gov/expapi/verbs/failed")
    assert s["result"]["score"]["raw"] == doc["total"] and s["result"]["success"] is doc["passed"]
    assert s["result"]["completion"] is True
    assert s["context"]["registration"] == str(uuid.UUID(hex=doc["attempt"]))
    with open_store(db_url) as store:
        attempt = store.attempt(doc["attempt"])
    assert s["context"]["extensions"][EXTENSION_BASE + "content-hash"] == attempt["content_hash"]
    assert s["context"]["extensions"][EXTENSION_BASE + "scorer-hash"] == attempt["scorer_hash"]
    assert s["actor"]["account"]["name"] == "张三" and s["object"]["id"].endswith("/after-sales-basic")


def test_every_attempt_is_one_statement_and_overrides_are_sent_with_the_computed_score(db_url, capsys):
    with open_store(db_url, now=fixed_clock) as store:
        items = small_cohort(store)
        graded = next(a for a in items if a.status == "completed")
        store.add_override(graded.id, "组长", 90, True, "人工复核")
    result = kefu(capsys, "results", "--db", db_url, "--format", "xapi")
    statements = _statements(result.out)
    assert len(statements) == len(items)
    for s in statements:
        check_statement(s)
    by_reg = {s["context"]["registration"]: s for s in statements}
    s = by_reg[registration(graded.id)]
    assert s["result"]["score"]["raw"] == 90 and s["verb"]["display"]["en-US"] == "passed"
    assert s["context"]["extensions"][EXTENSION_BASE + "computed-score"] == graded.total
    unfinished = [by_reg[registration(a.id)] for a in items if a.status != "completed"]
    assert unfinished and all(s["verb"]["display"]["en-US"] == "attempted" and s["result"]["completion"] is False
                              and "score" not in s["result"] for s in unfinished)
    again = _statements(kefu(capsys, "results", "--db", db_url, "--format", "xapi").out)
    assert [s["id"] for s in again] == [s["id"] for s in statements]  # stable ids: re-sending is idempotent


def test_csv_has_a_bom_one_row_per_attempt_and_the_override_beside_the_total(db_url, capsysbinary):
    with open_store(db_url, now=fixed_clock) as store:
        items = small_cohort(store)
        graded = next(a for a in items if a.status == "completed")
        store.add_override(graded.id, "组长", 91, True, "人工复核")
    capsysbinary.readouterr()
    assert main(["results", "--db", db_url, "--format", "csv"]) == 0
    data = capsysbinary.readouterr().out
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == 1 + len(items) and sorted(r[0] for r in rows[1:]) == sorted(a.id for a in items)
    header, by_id = rows[0], {r[0]: r for r in rows[1:]}
    row = by_id[graded.id]
    assert row[header.index("总分")] == str(graded.total)  # the computed score, unchanged
    assert (row[header.index("组长改分")], row[header.index("改分理由")]) == ("91", "人工复核")
    assert all(r[header.index("组长改分")] == "" for i, r in by_id.items() if i != graded.id)


def test_non_uuid_ids_get_a_stable_uuid_and_durations_are_iso_8601():
    assert registration("practice-1") == registration("practice-1") != registration("practice-2")
    assert registration("ab" * 16) == str(uuid.UUID(hex="ab" * 16))
    assert [iso_duration(s) for s in (0, 59.5, 61, 3725.25)] == ["PT0S", "PT59.5S", "PT1M1S", "PT1H2M5.25S"]
    assert all(DURATION.match(iso_duration(s)) for s in (0, 1, 3600, 86400.5))
