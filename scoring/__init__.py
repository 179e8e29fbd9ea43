"""kefu's scorer: reply analysis and session grading. No UI imports here."""

from scoring.models import (
    AnalysisContext,
    ReplyAnalysis,
    Remedy,
    RemedyKind,
    Scorecard,
    SessionRecord,
    Topic,
    TurnRecord,
    Violation,
    ViolationCode,
)

__all__ = [
    "AnalysisContext", "ReplyAnalysis", "Remedy", "RemedyKind", "Scorecard", "SessionRecord",
    "Topic", "TurnRecord", "Violation", "ViolationCode", "analyze", "warm_up", "grade_session",
]


def analyze(text: str, context: AnalysisContext | None = None) -> ReplyAnalysis:
    """Analyse one trainee reply (see scoring.analyzer)."""
    from scoring.analyzer import default_analyzer

    return default_analyzer().analyze(text, context)


def warm_up() -> None:
    """Load jieba and the lexicons now (idempotent, thread-safe); call it from a worker."""
    from scoring.analyzer import default_analyzer

    default_analyzer().warm_up()


def grade_session(record: SessionRecord, ended: bool = True) -> Scorecard:
    """Grade a whole conversation (see scoring.session); `ended` False for one still going."""
    from scoring.session import grade_session as _grade

    return _grade(record, ended)
