"""ExamAttempt: one trainee's attempt at an exam, recorded as it is played (headless or in the TUI).

    attempt = ExamAttempt.begin(store, library, exam, trainee)   # AttemptRefused past the limit
    for position, scenario_id in enumerate(attempt.plan):
        session = attempt.session(position, clock)              # a RecordingSession
        ...play it (start / reply / poll / end), then session.scorecard()
    document = attempt.finish()                                  # the JSON of `kefu exam run`
"""

from __future__ import annotations

import random
from typing import Any

from simulator.certify.grading import AttemptResult, grade_attempt, valid_until
from simulator.certify.recorder import RecordingSession
from simulator.content.exams import Exam, plan, session_seed
from simulator.records.hashing import data_hash, scenario_content


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

    def __init__(self, store, library, exam: Exam, trainee: str, writer, scenario_ids: list[str]) -> None:
        self.store = store
        self.library = library
        self.exam = exam
        self.trainee = trainee
        self.writer = writer
        self.plan = scenario_ids
        self.results: list[dict[str, Any]] = []
        self.result: AttemptResult | None = None
        self.review: str | None = None
        """'pending' once a finished attempt of an exam with `review: required` waits as 待复核."""

    @classmethod
    def begin(cls, store, library, exam: Exam, trainee: str, seed: int | None = None) -> "ExamAttempt":
        """Start the attempt in the store (refused beyond the exam's attempts or while one runs)."""
        seed = random.SystemRandom().randrange(2**31) if seed is None else seed
        scenario_ids = plan(exam, library.scenarios, seed)
        writer = store.begin_attempt(
            kind="exam", trainee=trainee, content=attempt_content(exam, library, scenario_ids), exam_id=exam.id,
            exam_title=exam.title, attempts_allowed=exam.attempts, seed=seed)
        return cls(store, library, exam, trainee.strip(), writer, scenario_ids)

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
        session_writer = self.writer.begin_session(position, scenario, persona, seed)

        def sink(turn: dict) -> None:
            session_writer.add_turn(**{k: turn[k] for k in ("role", "kind", "text", "seconds", "at", "mood", "state",
                                                            "quick_reply", "analysis")})

        def finished(recording: RecordingSession) -> None:
            card = recording._card.model_dump(mode="json")
            session_writer.finish(outcome=recording.session.outcome, policy_breach=recording.session.policy_breach,
                                  scorecard=card, end_reason=recording.end_reason or "trainee",
                                  end_at=recording.end_at)
            self.results.append({"scenario": scenario_id, "seed": seed, "outcome": recording.session.outcome,
                                 "policy_breach": recording.session.policy_breach, "total": card["total"],
                                 "scorecard": card})

        return RecordingSession(scenario, persona, seed, clock, sink, on_finish=finished, analyzer=analyzer)

    def finish(self) -> dict[str, Any]:
        """Grade the attempt, store the result, and return the document `kefu exam run` prints."""
        result = grade_attempt(self.exam, self.results)
        self.result = result
        until = valid_until(self.exam, result.passed, self.store.now())
        self.writer.finish(total=result.total, passed=result.passed, policy_breach=result.policy_breach,
                           valid_until=until)
        if self.exam.review == "required":  # the result counts only once a lead has reviewed it
            from simulator.records.calibration import request_review

            request_review(self.store, self.attempt_id)
            self.review = "pending"
        return self.document()

    def document(self) -> dict[str, Any]:
        result = self.result
        return {
            "attempt": self.attempt_id,
            "exam": self.exam.id,
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

    def interrupt(self, reason: str) -> None:
        """Mark the attempt interrupted (turns kept); best effort when the database itself fails."""
        try:
            self.writer.interrupt(reason)
        except Exception:  # noqa: BLE001 - the next open marks it interrupted anyway (its writer is gone)
            pass
