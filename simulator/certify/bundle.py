"""`kefu export` and `kefu verify`: an attempt as a self-contained bundle, replayed and re-graded.

A bundle is one JSON file holding the attempt (who, when, result, hashes), the exact content it
was played with (the exam, each scenario with its persona), and every session with its turns
(text, the trainee's seconds, the clock reading `at`, mood, state, the hash chain) and scorecard.

`verify_bundle` checks, without any database: the content against its hashes, the hash chain,
the seeds, then replays each conversation through the engine at the recorded times with the
pinned content, re-grades it with the scorer installed here, and compares every line, timing,
score, outcome and the exam's verdict. A signature, when present, is checked too.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.atomic import atomic_write_text
from simulator.records.errors import RecordsError
from simulator.records.hashing import (audit_hash, chain_hash, chain_start, data_hash, header_start, scorer_hash,
                                       seal_hash, when)

FORMAT = "kefu-attempt-bundle"
VERSION = 2
READABLE = (1, 2)
"""Version 2 adds the exam version, chain version, seal, cause, the lead's review and audit trail."""
MAX_BUNDLE_BYTES = 64 * 1024 * 1024
ROLE_NAMES = {"customer": "顾客", "trainee": "客服"}
SHOWN = 12  # differences listed per session before "…"


# ---- export ---------------------------------------------------------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def build_bundle(store, ref: str) -> dict[str, Any]:
    """The bundle of the attempt whose id is (or starts with) `ref`."""
    attempt = _find(store, ref)
    if attempt["kind"] != "exam":
        raise RecordsError(f"{attempt['id'][:8]} 是练习记录，不是考试记录；只有考试记录可以导出核验。")
    content = store.content(attempt["content_hash"])
    scenarios: dict[str, Any] = {}
    sessions = []
    for s in attempt["sessions"]:
        scenarios[s["content_hash"]] = store.content(s["content_hash"])
        sessions.append({
            "position": s["position"], "scenario_id": s["scenario_id"], "scenario_title": s["scenario_title"],
            "seed": s["seed"], "content_hash": s["content_hash"], "status": s["status"],
            "started_at": _iso(s["started_at"]), "finished_at": _iso(s["finished_at"]),
            "end_reason": s["end_reason"], "end_at": s["end_at"], "outcome": s["outcome"],
            "policy_breach": s["policy_breach"], "scorecard": s["scorecard"],
            "turns": [{k: t[k] for k in ("seq", "role", "kind", "text", "seconds", "at", "mood", "state",
                                         "quick_reply", "analysis", "prev_hash", "hash")}
                      | {"recorded_at": _iso(t["recorded_at"])} for t in s["turns"]],
        })
    head = {k: attempt[k] for k in ("id", "kind", "exam_id", "exam_title", "trainee", "number", "status",
                                    "status_reason", "seed", "total", "passed", "policy_breach", "content_hash",
                                    "scorer_hash", "kefu_version", "last_hash", "exam_version", "chain", "seal",
                                    "cause")}
    for k in ("started_at", "finished_at", "valid_until"):
        head[k] = when(attempt[k]) if attempt["chain"] >= 2 else _iso(attempt[k])
    from simulator.records.audit import events_of

    review = store.review_of(attempt["id"])
    audit = [{k: e[k] for k in ("action", "actor", "reason", "detail", "attempt_id", "exam_id", "prev_hash", "hash")}
             | {"created_at": when(e["created_at"])} for e in events_of(store, attempt["id"])]
    overrides = [{k: o[k] for k in ("author", "total", "passed", "reason")} | {"created_at": when(o["created_at"])}
                 for o in review["overrides"]]
    void = next((e for e in audit if e["action"] == "void"), None)
    from simulator.records.calibration import review_history

    # The review before a result counts (issue 16): every action, and the final result all outputs show.
    decisions = [{k: d[k] for k in ("action", "author", "reason", "total", "passed")} | {"created_at": when(d["created_at"])}
                 for d in review_history(store, attempt["id"])]
    result = final_result_of(head, overrides[-1] if overrides else None, void, decisions[-1] if decisions else None)
    return {"format": FORMAT, "version": VERSION, "attempt": head,
            "content": {"attempt": content, "scenarios": scenarios}, "sessions": sessions,
            "review": {"overrides": overrides, "override": overrides[-1] if overrides else None,
                       "void": void, "audit": audit, "decisions": decisions, "final": result}}


def final_result_of(head: dict, override: dict | None, void: dict | None, decision: dict | None) -> dict:
    """The result in effect (records.verdict.final) as the bundle states it: total, passed, state."""
    from simulator.records.verdict import final

    result = final(head, override, void, decision)
    return {"total": result.total, "passed": result.passed, "state": result.state}


def _find(store, ref: str) -> dict:
    from simulator.clikit import find_attempt

    return find_attempt(store, ref)


def write_bundle(path: Path, bundle: dict) -> None:
    """Write atomically (temp file + rename), so a full disk never leaves half a bundle."""
    text = json.dumps(bundle, ensure_ascii=False, indent=1, allow_nan=False) + "\n"
    try:
        atomic_write_text(path, text)
    except OSError as exc:
        raise RecordsError(f"无法写入 {path}：{exc.strerror or exc}") from exc


# ---- reading ----------------------------------------------------------------------------------


def read_bundle(path: Path) -> dict:
    """A bundle from a file; RecordsError (Chinese) when the file is not one."""
    not_one = f"{path} 不是 kefu 的考试记录包（应由 kefu export 生成）"
    try:
        if not path.exists():
            raise RecordsError(f"找不到文件：{path}", exit_code=2)
        if not path.is_file():
            raise RecordsError(f"{not_one}：它不是普通文件。")
        with open(path, "rb") as f:
            raw = f.read(MAX_BUNDLE_BYTES + 1)
    except OSError as exc:
        raise RecordsError(f"无法读取 {path}：{exc.strerror or exc}") from exc
    if len(raw) > MAX_BUNDLE_BYTES:
        raise RecordsError(f"{not_one}：文件超过 {MAX_BUNDLE_BYTES // (1024 * 1024)} MB。")
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise RecordsError(f"{not_one}：不是有效的 JSON。") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise RecordsError(f"{not_one}。")
    if data.get("version") not in READABLE:
        raise RecordsError(f"{path} 的格式版本（{data.get('version')}）不是这个 kefu 能读的（{VERSION}）。")
    return data


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


# ---- verify -----------------------------------------------------------------------------------


@dataclass
class Report:
    """What verify found: problems (it does not hold), notes (worth knowing), a one-line summary."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    summary: str = ""
    computed: Any = None
    """The re-graded result (certify.grading.AttemptResult) when every scenario was complete, else None."""


class _Malformed(Exception):
    pass


def verify_bundle(bundle: dict, trust: Path | None = None, published=None, trusted: list | None = None) -> Report:
    """Check a bundle through and through; never raises for a malformed one (it is a problem).

    `published`: the published exam version (simulator.records.publish.PublishedExam) the attempt
    must have used — its pass mark and limits decide, never the exam inside the bundle. `trusted`:
    the lead's trusted public keys (raw bytes); a signature by any other key does not hold."""
    from simulator.certify.keys import check_signature

    report = Report()
    try:
        problems, notes = check_signature(bundle, trust, trusted)
        report.problems += problems
        report.notes += notes
        _verify(bundle, report, published)
    except RecordsError:
        raise
    except (_Malformed, KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        report.problems.append(f"记录包的结构不完整或被改坏了（{type(exc).__name__}: {exc}）")
    return report


def _verify(bundle: dict, report: Report, published=None) -> None:
    from pydantic import ValidationError

    from simulator.certify.grading import grade_attempt
    from simulator.content.exams import Exam, session_seed
    from simulator.content.models import Persona, Scenario

    attempt, content, sessions = bundle["attempt"], bundle["content"], bundle["sessions"]
    problems = report.problems
    # Content: exactly what the hashes say.
    if data_hash(content["attempt"]) != attempt["content_hash"]:
        problems.append("考试内容与记录的哈希不符：考试定义或场景清单被改过")
    planned = [item["hash"] for item in content["attempt"]["scenarios"]]
    for s in sessions:
        blob = content["scenarios"].get(s["content_hash"])
        if blob is None or data_hash(blob) != s["content_hash"]:
            problems.append(f"第 {s['position'] + 1} 题 {s['scenario_id']}：场景内容与记录的哈希不符（场景或顾客被改过）")
        if s["position"] >= len(planned) or planned[s["position"]] != s["content_hash"]:
            problems.append(f"第 {s['position'] + 1} 题 {s['scenario_id']}：不是这次考试安排的场景")
        if s["seed"] != session_seed(attempt["seed"], s["position"]):
            problems.append(f"第 {s['position'] + 1} 题 {s['scenario_id']}：种子 {s['seed']} 不是这次考试给的")
    # The chain of turns: version 2 starts from the header (who, exam and version, which try, when).
    chain = attempt.get("chain") or 1
    if chain >= 2:
        prev = header_start(attempt)
    else:
        prev = chain_start(attempt["id"], attempt["content_hash"], attempt["scorer_hash"])
        report.notes.append("旧格式的记录：学员、考试版本和时间不在哈希链内")
        if attempt.get("exam_version") is not None or attempt.get("seal") is not None:
            # Attempts with a published version were always chained from their header: a downgrade.
            problems.append("记录包自称旧格式的哈希链，却带着发布版本或封印：被改过")
    broken = False
    heads = {prev}  # every head the chain had: a lead's action on a running attempt chains to one
    for s in sessions:
        for t in s["turns"]:
            heads.add(t["hash"])
            expected = chain_hash(prev, s["position"], t, chain)
            if not broken and (t["prev_hash"] != prev or t["hash"] != expected):
                problems.append(f"第 {s['position'] + 1} 题 第 {t['seq'] + 1} 行：哈希链断了（这一行或之前的记录被改过）")
                broken = True
            prev = t["hash"]
    if not broken and prev != attempt["last_hash"]:
        problems.append("哈希链的末尾与考试记录不符（有记录被删掉或加进来）")
    if chain >= 2 and attempt["status"] != "in_progress" and attempt.get("seal") != seal_hash(attempt["last_hash"], attempt):
        problems.append("考试记录的封印不符：结束时间、状态、总分、是否通过或有效期被改过")
    _verify_review(bundle, report, heads)
    if attempt["scorer_hash"] != scorer_hash():
        report.notes.append("考试用的评分器与这里安装的不同：按这里的评分器重新评分")
    try:
        exam = Exam.model_validate(content["attempt"]["exam"])
    except ValidationError as exc:
        raise _Malformed(f"考试定义无法读取：{exc.error_count()} 处错误") from exc
    if published is not None:
        # The lead's published version decides: pass mark, limits, scenarios — not the bundle's own copy.
        if attempt.get("exam_version") != published.version:
            problems.append(f"这次考试用的不是已发布的第 {published.version} 版（记录：{attempt.get('exam_version') or '未发布'}）")
        if content["attempt"]["exam"] != published.exam.model_dump(mode="json"):
            problems.append("记录包里的考试定义（及格分、次数、场景、限时）与组长发布的版本不同")
        allowed = set(published.scenario_hashes.values())
        for s in sessions:
            if s["content_hash"] not in allowed:
                problems.append(f"第 {s['position'] + 1} 题 {s['scenario_id']}：场景内容不是发布版里的")
        exam = published.exam
    if exam.scenarios and [s["scenario_id"] for s in sessions] != exam.scenarios[: len(sessions)]:
        problems.append("场景的顺序与考试定义不符")
    # Replay and re-grade.
    replayed = []
    for s in sessions:
        blob = content["scenarios"].get(s["content_hash"]) or {}
        try:
            scenario = Scenario.model_validate(blob["scenario"])
            persona = Persona.model_validate(blob["persona"])
        except (ValidationError, KeyError) as exc:
            problems.append(f"第 {s['position'] + 1} 题 {s['scenario_id']}：场景内容无法读取（{type(exc).__name__}）")
            continue
        result = _replay_session(s, scenario, persona, exam, problems)
        if result is not None:
            replayed.append(result)
    # The verdict, recomputed whatever the attempt's or a session's status says.
    complete = [s for s in sessions if s["status"] == "completed"]
    for s in sessions:
        if s["status"] != "completed" and (s.get("total") is not None or s.get("scorecard")):
            problems.append(f"第 {s['position'] + 1} 题 {s['scenario_id']}：记录为未完成（{s['status']}），却带着分数")
    planned_count = len(content["attempt"]["scenarios"])
    whole = len(complete) == len(sessions) == planned_count and len(replayed) == len(sessions)
    computed = grade_attempt(exam, replayed) if whole else None
    if attempt["status"] == "completed":
        if computed is None:
            problems.append(f"考试记录为已完成，但 {planned_count} 个场景里只有 {len(complete)} 个完整记录")
        else:
            if computed.total != attempt["total"]:
                problems.append(f"考试总分不同：记录 {attempt['total']}，重新评分 {computed.total}")
            if computed.passed != attempt["passed"]:
                problems.append(f"是否通过不同：记录 {_yes(attempt['passed'])}，重新评分 {_yes(computed.passed)}")
            if computed.policy_breach != attempt["policy_breach"]:
                problems.append(f"是否超出政策不同：记录 {_yes(attempt['policy_breach'])}，重新评分 {_yes(computed.policy_breach)}")
            if chain >= 2:
                _check_validity(attempt, exam, computed.passed, problems)
        verdict = f"重新评分：总分 {computed.total}，{'通过' if computed and computed.passed else '未通过'}" if computed \
            else "重新评分：不完整，不算通过"
    else:
        if attempt["total"] is not None or attempt["passed"] or attempt.get("valid_until"):
            problems.append(f"考试记录为{_status(attempt['status'])}，却记有总分、通过或有效期"
                            f"（总分 {attempt['total']}，通过 {_yes(attempt['passed'])}）")
        report.notes.append(f"这次考试没有完成（{_status(attempt['status'])}：{attempt.get('status_reason') or ''}），"
                            "核对了已记录的每一行；未完成的考试不算通过")
        verdict = "重新评分：未完成，不算通过"
    report.computed = computed
    turns = sum(len(s["turns"]) for s in sessions)
    report.summary = (f"考试 {attempt['exam_id']}"
                      + (f" 第 {attempt['exam_version']} 版" if attempt.get("exam_version") else "")
                      + f"，学员 {attempt['trainee']}，第 {attempt['number']} 次，{len(sessions)} 个场景，{turns} 行对话，"
                      f"记录总分 {attempt['total']}，{'通过' if attempt['passed'] else '未通过'}；{verdict}")


def _status(status: str) -> str:
    return {"in_progress": "进行中", "completed": "已完成", "interrupted": "中断"}.get(status, status)


def _check_validity(attempt: dict, exam, passed: bool, problems: list[str]) -> None:
    """valid_until follows from the finish time and the exam's validity_days, nothing else."""
    from datetime import datetime, timedelta

    recorded = attempt.get("valid_until")
    if passed and exam.validity_days is not None and attempt.get("finished_at"):
        expected = when(datetime.fromisoformat(attempt["finished_at"]) + timedelta(days=exam.validity_days))
    else:
        expected = None
    if (when(recorded) if recorded else None) != expected:
        problems.append(f"有效期不对：记录 {recorded or '无'}，按考试规定应为 {expected or '无'}")


def _verify_review(bundle: dict, report: Report, heads: set[str]) -> None:
    """The lead's actions: an unbroken audit trail after the seal (or, for an action taken while the
    attempt ran, after the chain head it had then), and overrides that match it."""
    from simulator.records.audit import trail_start

    review = bundle.get("review")
    if review is None:
        return
    attempt = bundle["attempt"]
    events = review.get("audit") or []
    prev = trail_start(attempt)
    if events and events[0]["prev_hash"] != prev and events[0]["prev_hash"] in heads:
        prev = events[0]["prev_hash"]
    logged = []
    for event in events:
        if event["prev_hash"] != prev or event["hash"] != audit_hash(prev, event):
            report.problems.append(f"组长操作记录的哈希链断了（{event.get('action')}，{event.get('created_at')}）")
            return
        prev = event["hash"]
        if event["action"] == "override":
            logged.append((event["detail"]["total"], event["detail"]["passed"], event["reason"]))
    shown = [(o["total"], o["passed"], o["reason"]) for o in review.get("overrides") or []]
    if shown != logged:
        report.problems.append("改分记录与组长操作记录不符（改分被加过、删过或改过）")
    if review.get("override") != ((review.get("overrides") or [None])[-1]):
        report.problems.append("记录包显示的改分不是最后一次改分")
    void = next((e for e in review.get("audit") or [] if e["action"] == "void"), None)
    if review.get("void") != void:
        report.problems.append("作废记录与组长操作记录不符")
    if "decisions" not in review and "final" not in review:
        return  # a bundle from before the one-truth merge: nothing more to check
    decisions = review.get("decisions") or []
    decided = [(e["detail"]["decision"], e["detail"].get("total"), e["detail"].get("passed"), e["reason"])
               for e in events if e["action"] == "review"]
    shown = [(d["action"], d.get("total"), d.get("passed"), d.get("reason")) for d in decisions if d["action"] != "pending"]
    if shown != decided:
        report.problems.append("复核记录与组长操作记录不符（复核决定被加过、删过或改过）")
    expected = final_result_of(attempt, review.get("override"), void, decisions[-1] if decisions else None)
    if review.get("final") != expected:
        report.problems.append(f"记录包写的最终结果（{review.get('final')}）与改分、复核、作废推出的（{expected}）不符")


def _yes(value) -> str:
    return "是" if value else "否"


def _replay_session(s: dict, scenario, persona, exam, problems: list[str]) -> dict | None:
    """Replay one session at its recorded times; append differences; the re-graded result when complete."""
    from simulator.certify.recorder import TRAINEE_KIND, RecordingSession
    from simulator.engine.clock import ManualClock

    label = f"第 {s['position'] + 1} 题 {s['scenario_id']}"
    clock = ManualClock()
    lines: list[dict] = []
    session = RecordingSession(scenario, persona, s["seed"], clock, lines.extend)
    recorded = s["turns"]
    found: list[str] = []

    def move_to(at: float) -> bool:
        if not isinstance(at, (int, float)) or not math.isfinite(at) or at < clock.now():
            found.append(f"{label}：时间记录不对（{at} 秒早于前一行，或不是数字）")
            return False
        clock.advance(at - clock.now())
        return True

    session.start()
    limits = exam.time_limit
    for t in recorded:
        if t["seq"] < len(lines):
            continue  # already said by the call that produced an earlier line
        if session.finished:
            break
        if t["role"] == "trainee":
            if not move_to(t["at"]):
                break
            if limits.reply_seconds is not None and session.waiting_seconds() > limits.reply_seconds + 1e-6:
                found.append(f"{label} 第 {t['seq'] + 1} 行：这句回复用了 {session.waiting_seconds():.0f} 秒，"
                             f"超过每句限时 {limits.reply_seconds:g} 秒")
            session.reply(t["text"], quick_reply=bool(t["quick_reply"]))
        elif t["kind"] in ("nudge", "leave"):
            if not move_to(t["at"]):
                break
            session.poll()
        else:
            break  # a line no call of this kind produces here: reported by the comparison below
    complete = s["status"] == "completed"
    if complete and not session.finished and s.get("end_reason") != "customer":
        end_at = s.get("end_at")
        if end_at is not None and move_to(end_at):
            session.end(s["end_reason"])
    if complete and limits.scenario_seconds is not None and (s.get("end_at") or 0) > limits.scenario_seconds + 1e-6:
        found.append(f"{label}：对话用了 {s['end_at']:.0f} 秒，超过每个场景的限时 {limits.scenario_seconds:g} 秒")
    if not complete and len(lines) > len(recorded):
        # Stopped at that moment: what the engine would have said next was never said (nor shown).
        lines = lines[:len(recorded)]
    for n in range(max(len(lines), len(recorded))):
        want = recorded[n] if n < len(recorded) else None
        got = lines[n] if n < len(lines) else None
        if want is None:
            found.append(f"{label} 第 {n + 1} 行：重放多出一行（{ROLE_NAMES.get(got['role'], got['role'])}：“{got['text'][:30]}”）")
            continue
        if got is None:
            found.append(f"{label} 第 {n + 1} 行：记录里有，重放时没有出现（{ROLE_NAMES.get(want['role'], want['role'])}：“{want['text'][:30]}”）")
            continue
        who = ROLE_NAMES.get(want["role"], want["role"])
        if got["role"] != want["role"] or got["kind"] != want["kind"]:
            found.append(f"{label} 第 {n + 1} 行：说话人不同（记录 {who}，重放 {ROLE_NAMES.get(got['role'], got['role'])}）")
        elif got["text"] != want["text"]:
            found.append(f"{label} 第 {n + 1} 行（{who}）：文字不同：记录“{want['text'][:40]}”，重放“{got['text'][:40]}”")
        if want["role"] == TRAINEE_KIND and not _same_seconds(got["seconds"], want["seconds"]):
            found.append(f"{label} 第 {n + 1} 行：用时不同：记录 {want['seconds']} 秒，按时间记录应为 {got['seconds']} 秒")
        if got["mood"] != want["mood"] or got["state"] != want["state"]:
            found.append(f"{label} 第 {n + 1} 行：顾客情绪或状态不同：记录 {want['mood']}/{want['state']}，"
                         f"重放 {got['mood']}/{got['state']}")
        if want["role"] == TRAINEE_KIND and want.get("analysis") is not None and got["analysis"] != want["analysis"]:
            found.append(f"{label} 第 {n + 1} 行：这句回复的分析不同（评分依据被改过，或评分器不同）")
    if not complete:
        problems.extend(found[:SHOWN])
        return None
    card = session.scorecard().model_dump(mode="json")
    recorded_card = s.get("scorecard") or {}
    for key in ("total", "apology", "empathy", "question", "solution", "deductions"):
        if card.get(key) != recorded_card.get(key):
            found.append(f"{label}：得分不同（{key}）：记录 {recorded_card.get(key)}，重新评分 {card.get(key)}")
    if card.get("items") != recorded_card.get("items"):
        found.append(f"{label}：得分明细不同")
    if session.outcome != s["outcome"]:
        found.append(f"{label}：结果不同：记录 {s['outcome']}，重放 {session.outcome}")
    if session.policy_breach != s["policy_breach"]:
        found.append(f"{label}：是否超出政策不同：记录 {_yes(s['policy_breach'])}，重放 {_yes(session.policy_breach)}")
    if len(found) > SHOWN:
        found = found[:SHOWN] + [f"{label}：……还有 {len(found) - SHOWN} 处不同"]
    problems.extend(found)
    return {"scenario": s["scenario_id"], "outcome": session.outcome, "policy_breach": session.policy_breach,
            "scorecard": card}


def _same_seconds(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) < 1e-6
