"""Precision, recall and F1 of the analyzer against labelled replies (the dev set).

A labelled row is ``{"id", "text", "context" (optional), "labels": {"apology": 0-2, "empathy": 0-2,
"question": 0-2, "solution": 0-2, "violations": [...]}}``. Each dimension is scored on PRESENCE
(level > 0) with P/R/F1, plus exact-level accuracy; each violation code and "has a violation"
get P/R/F1; the macro-F1 is the mean presence F1 over the four dimensions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from scoring.models import DIMENSIONS, AnalysisContext, ReplyAnalysis, ViolationCode


@dataclass
class PRF:
    """Counts of one binary decision, with precision, recall and F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, expected: bool, got: bool) -> None:
        """Count one decision."""
        if expected and got:
            self.tp += 1
        elif got:
            self.fp += 1
        elif expected:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        """How many rows are positive in the labels."""
        return self.tp + self.fn


@dataclass
class Miss:
    """A row where the analyzer disagrees with the labels."""

    id: str
    text: str
    expected: dict
    got: dict


@dataclass
class EvalReport:
    """Every figure of one evaluation run."""

    rows: int = 0
    dimensions: dict[str, PRF] = field(default_factory=lambda: {d: PRF() for d in DIMENSIONS})
    level_correct: dict[str, int] = field(default_factory=lambda: {d: 0 for d in DIMENSIONS})
    violations: dict[str, PRF] = field(default_factory=lambda: {c.value: PRF() for c in ViolationCode})
    any_violation: PRF = field(default_factory=PRF)
    coded: int = 0  # labelled violations (row, code) ...
    coded_right: int = 0  # ... that the analyzer found with that same code
    misses: list[Miss] = field(default_factory=list)

    @property
    def macro_f1(self) -> float:
        """Mean presence F1 over apology, empathy, question and solution."""
        return sum(self.dimensions[d].f1 for d in DIMENSIONS) / len(DIMENSIONS)

    @property
    def right_code(self) -> float:
        """Share of labelled violations found with the right code (one per row and code)."""
        return self.coded_right / self.coded if self.coded else 1.0

    def accuracy(self, dimension: str) -> float:
        """Share of rows whose level (0/1/2) is exactly right."""
        return self.level_correct[dimension] / self.rows if self.rows else 1.0

    def render(self, show_misses: bool = True) -> str:
        """The report as plain text (for `kefu score --eval`)."""
        lines = [f"rows: {self.rows}", "", f"{'dimension':<14}{'P':>7}{'R':>7}{'F1':>7}{'level acc':>11}{'support':>9}"]
        for d in DIMENSIONS:
            m = self.dimensions[d]
            lines.append(f"{d:<14}{m.precision:>7.3f}{m.recall:>7.3f}{m.f1:>7.3f}{self.accuracy(d):>11.3f}{m.support:>9}")
        lines.append(f"macro-F1 (presence, 4 dimensions): {self.macro_f1:.3f}")
        lines += ["", f"{'violation':<14}{'P':>7}{'R':>7}{'F1':>7}{'support':>9}"]
        for code, m in self.violations.items():
            lines.append(f"{code:<14}{m.precision:>7.3f}{m.recall:>7.3f}{m.f1:>7.3f}{m.support:>9}")
        m = self.any_violation
        lines.append(f"{'any':<14}{m.precision:>7.3f}{m.recall:>7.3f}{m.f1:>7.3f}{m.support:>9}")
        lines.append(f"right code: {self.right_code:.3f} ({self.coded_right}/{self.coded} labelled violations)")
        if show_misses and self.misses:
            lines += ["", f"misclassified ({len(self.misses)}):"]
            for miss in self.misses:
                diff = {k: f"{miss.expected[k]}->{miss.got[k]}" for k in miss.expected if miss.expected[k] != miss.got[k]}
                lines.append(f"- {miss.id}: {miss.text}")
                lines.append(f"    {diff}")
        return "\n".join(lines)


def observed(analysis: ReplyAnalysis) -> dict:
    """The labelled fields of an analysis, in the labels' shape."""
    got = {d: getattr(analysis, d) for d in DIMENSIONS}
    got["violations"] = sorted(analysis.violation_codes)
    return got


def evaluate(rows: Iterable[dict], analyze: Callable[..., ReplyAnalysis] | None = None) -> EvalReport:
    """Run the analyzer over labelled rows and count hits and misses."""
    if analyze is None:
        from scoring import analyze
    report = EvalReport()
    for i, row in enumerate(rows):
        labels = row["labels"]
        ctx = AnalysisContext(**(row.get("context") or {}))
        got = observed(analyze(row["text"], ctx))
        expected = {d: int(labels.get(d, 0)) for d in DIMENSIONS}
        expected["violations"] = sorted(set(labels.get("violations") or []))
        report.rows += 1
        for d in DIMENSIONS:
            report.dimensions[d].add(expected[d] > 0, got[d] > 0)
            report.level_correct[d] += expected[d] == got[d]
        for code, m in report.violations.items():
            m.add(code in expected["violations"], code in got["violations"])
        report.any_violation.add(bool(expected["violations"]), bool(got["violations"]))
        report.coded += len(expected["violations"])
        report.coded_right += sum(1 for c in expected["violations"] if c in got["violations"])
        if got != expected:
            report.misses.append(Miss(str(row.get("id", i + 1)), row["text"], expected, got))
    return report
