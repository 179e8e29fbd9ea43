"""ExamAttempt: one trainee's attempt at an exam, recorded as it is played (headless or in the TUI).

    published = exam_for_attempt(store, library, exams, exam_id, local_dirs)  # the lead's published version
    attempt = ExamAttempt.begin(store, published.library, published.exam, trainee, version=published.version)
    for position, scenario_id in enumerate(attempt.plan):
        session = attempt.session(position, clock)              # a RecordingSession
        ...play it (start / reply / poll / end), then session.scorecard()
    document = attempt.finish()                                  # the JSON of `kefu exam run`
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from simulator.certify.grading import AttemptResult, grade_attempt, valid_until
from simulator.certify.recorder import RecordingSession
from simulator.content.exams import Exam, plan, session_seed
from simulator.records.errors import RecordsError
from simulator.records.hashing import data_hash, scenario_content
from simulator.records.heartbeat import Pulse

OUTAGE_WAIT = 600.0
"""How long an attempt waits, paused, for an unreachable records database before giving up."""
Wait = Callable[[float], None]


def exam_for_attempt(store, library, exams, exam_id: str, say: Callable[[str], None] | None = None):
    """The published version an attempt must use (simulator.records.publish.PublishedExam).

    A trainee's content folders cannot change it: an exam file there with the published id whose
    content differs is refused. With nothing published yet, a lead's (or a single machine's) kefu
    publishes what it has as version 1; a trainee role cannot, and is told to ask the lead."""
    from simulator.content.library import builtin_root
    from simulator.records import publish

    local = exams.exams.get(exam_id)
    current = publish.latest(store, exam_id)
    if current is None:
        if local is None:
            known = ", ".join(sorted(exams.exams)) or "（无）"
            raise RecordsError(f"没有这个考试：{exam_id}。可用的考试：{known}", exit_code=2)
        if store.as_trainee:
            raise RecordsError(f"考试 {exam_id} 还没有由组长发布，不能开始。请组长运行 kefu exam publish {exam_id}。")
        current, _ = publish.publish_exam(store, local, library, "kefu")
        if say:
            say(f"考试 {exam_id} 第一次使用：已按现在的内容发布为第 {current.version} 版（以后都用这一版，直到组长发布新版）")
        return current
    source = exams.files.get(exam_id)
    from_user = source is not None and builtin_root().resolve() not in Path(source.path).resolve().parents
    if local is not None and from_user:
        snapshot, _ = publish.snapshot_of(local, library)
        if data_hash(snapshot) != current.snapshot_hash:
            raise RecordsError(
                f"考试 {exam_id} 已由组长发布（第 {current.version} 版），考试只按发布版进行；"
                f"本地文件 {source.path} 里的同名考试与发布版不同，不能用来考试。请去掉 --content / KEFU_CONTENT 里的这个文件。",
                exit_code=2)
    return current


def attempt_content(exam: Exam, library, scenario_ids: list[str]) -> dict:
    """What an attempt is played with: the exam and the hash of each scenario (with its persona)."""
    return {
        "exam": exam.model_dump(mode="json"),
        "scenarios": [
            {"id": sid, "hash": data_hash(scenario_content(library.scenarios[sid], library.persona_of(sid)))}
            for sid in scenario_ids
        ],
    }


class ExamAttempt:
    """An attempt in progress; every line goes to the records store as it is said."""

    def __init__(self, store, library, exam: Exam, trainee: str, writer, scenario_ids: list[str],
                 version: int | None = None) -> None:
        self.store = store
        self.library = library
        self.exam = exam
        self.version = version
        self.trainee = trainee
        self.writer = writer
        self.plan = scenario_ids
        self.results: list[dict[str, Any]] = []
        self.result: AttemptResult | None = None
        self.wait: Wait = time.sleep
        """How a paused attempt waits for the records to come back (tests inject their own)."""
        self.on_pause: Callable[[str | None], None] | None = None
        """Told a Chinese notice when the records become unreachable, None when they are back."""
        self.pulse: Pulse | None = None
        self.review: str | None = None
        """'pending' once a finished attempt of an exam with `review: required` waits as 待复核."""

    @classmethod
    def begin(cls, store, library, exam: Exam, trainee: str, seed: int | None = None,
              version: int | None = None, heartbeat: bool = True) -> "ExamAttempt":
        """Start the attempt in the store (refused beyond the exam's attempts or while one runs).

        `library` and `exam` are the published version's (exam_for_attempt); `version` its number."""
        from simulator.records.names import check_name

        seed = random.SystemRandom().randrange(2**31) if seed is None else seed
        scenario_ids = plan(exam, library.scenarios, seed)
        writer = store.begin_attempt(
            kind="exam", trainee=trainee, content=attempt_content(exam, library, scenario_ids), exam_id=exam.id,
            exam_title=exam.title, attempts_allowed=exam.attempts, seed=seed, exam_version=version)
        attempt = cls(store, library, exam, check_name(trainee), writer, scenario_ids, version)
        if heartbeat:  # a headless attempt waiting on stdin, or a trainee thinking, still says it is alive
            attempt.pulse = Pulse(lambda: store.heartbeat(writer.attempt_id)).start()
        return attempt

    def _stop_pulse(self) -> None:
        if self.pulse is not None:
            self.pulse.stop()
            self.pulse = None

    def _recorded(self, write: Callable[[], Any]) -> Any:
        """Run one write; while the records are unreachable, pause (saying so) and try again.

        The engine's lines reach the screen only after this returns, so nothing unrecorded is shown,
        and the time spent waiting is not the trainee's (RecordingSession leaves it off the clock)."""
        from simulator.records.store import AttemptClosed

        waited, delay = 0.0, 1.0
        while True:
            try:
                result = write()
            except AttemptClosed:
                raise
            except RecordsError as exc:
                if not _unreachable(exc) or waited >= OUTAGE_WAIT:
                    raise
                if self.on_pause:
                    self.on_pause(f"记录数据库暂时无法连接，考试已暂停、计时已停止；已说的内容都已保存，不会丢失。恢复后自动继续。（{exc.message}）")
                self.wait(delay)
                waited += delay
                delay = min(delay * 2, 15.0)
                continue
            if waited and self.on_pause:
                self.on_pause(None)
            return result

    @property
    def attempt_id(self) -> str:
        return self.writer.attempt_id

    def seed_of(self, position: int) -> int:
        return session_seed(self.writer.seed, position)

    def session(self, position: int, clock, analyzer=None) -> RecordingSession:
        """The conversation at `position`, recording into the store."""
        scenario_id = self.plan[position]
        scenario, persona = self.library.scenarios[scenario_id], self.library.persona_of(scenario_id)
        seed = self.seed_of(position)
        session_writer = self._recorded(lambda: self.writer.begin_session(position, scenario, persona, seed))

        def sink(lines: list[dict]) -> None:
            self._recorded(lambda: session_writer.add_turns(lines))

        def finished(recording: RecordingSession) -> None:
            card = recording._card.model_dump(mode="json")
            self._recorded(lambda: session_writer.finish(
                outcome=recording.session.outcome, policy_breach=recording.session.policy_breach, scorecard=card,
                end_reason=recording.end_reason or "trainee", end_at=recording.end_at))
            self.results.append({"scenario": scenario_id, "seed": seed, "outcome": recording.session.outcome,
                                 "policy_breach": recording.session.policy_breach, "total": card["total"],
                                 "scorecard": card})

        return RecordingSession(scenario, persona, seed, clock, sink, on_finish=finished, analyzer=analyzer)

    def finish(self) -> dict[str, Any]:
        """Grade the attempt, store the result, and return the document `kefu exam run` prints."""
        result = grade_attempt(self.exam, self.results)
        self.result = result
        finished = self.store.now()
        until = valid_until(self.exam, result.passed, finished)
        self._recorded(lambda: self.writer.finish(total=result.total, passed=result.passed,
                                                  policy_breach=result.policy_breach, valid_until=until,
                                                  finished_at=finished))
        self._stop_pulse()
        if self.exam.review == "required":  # the result counts only once a lead has reviewed it
            from simulator.records.calibration import request_review

            self._recorded(lambda: request_review(self.store, self.attempt_id))
            self.review = "pending"
        return self.document()

    def document(self) -> dict[str, Any]:
        result = self.result
        return {
            "attempt": self.attempt_id,
            "exam": self.exam.id,
            "exam_version": self.version,
            "trainee": self.trainee,
            "number": self.writer.number,
            "attempts_allowed": self.exam.attempts,
            "scenarios": [{k: r[k] for k in ("scenario", "seed", "outcome", "policy_breach", "total")}
                          for r in self.results],
            "total": result.total if result else None,
            "passed": result.passed if result else None,
            "reasons": result.reasons if result else [],
            **({"review": "待复核"} if self.review == "pending" else {}),
        }

    def interrupt(self, reason: str, cause: str = "trainee") -> None:
        """Mark the attempt interrupted (turns kept); best effort when the database itself fails.

        cause 'infrastructure' (the records could not be written) does not count against the trainee."""
        self._stop_pulse()
        try:
            self.writer.interrupt(reason, cause)
        except Exception:  # noqa: BLE001 - the next open marks it interrupted anyway (its writer is gone)
            if cause == "infrastructure":  # ...and, told here why, does not count it against the trainee
                self.store.liveness.leave_cause(self.attempt_id, cause)


def _unreachable(exc: RecordsError) -> bool:
    """A records error that a wait can cure: the server is down or unreachable."""
    return exc.message.startswith("无法连接记录数据库")


def infrastructure_failure(exc: RecordsError) -> bool:
    """The records, not the trainee, stopped the attempt (it does not count against them)."""
    from simulator.records.store import AttemptClosed

    return not isinstance(exc, AttemptClosed) and exc.message.startswith(
        ("无法连接记录数据库", "磁盘已满", "记录数据库正被", "记录数据库是只读的"))
