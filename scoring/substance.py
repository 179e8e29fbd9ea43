"""The reader's last stage (issue 17): what each offer is (slots) and what the reply asks.

`read_substance(analysis, context)` runs at the end of the analysis, so that the engine and the
scorecard take everything they know about a reply from the reader's output (one reading, not two).
"""

from __future__ import annotations

from scoring.asking import asked_topics, confirming_sentences, invites_account, names_options, offers_alternatives
from scoring.models import AnalysisContext, ReplyAnalysis
from scoring.normalize import normalize
from scoring.slots import Calendar, attach_slots


def _calendar(context: AnalysisContext) -> Calendar | None:
    if not context.calendar:
        return None
    day, _, at = context.calendar.partition("T")
    try:
        return Calendar.parse(day, at or "09:00")
    except ValueError:
        return None


def read_substance(analysis: ReplyAnalysis, context: AnalysisContext | None, norm: str | None = None) -> ReplyAnalysis:
    """`analysis` with its slots, the fact topics its questions ask about, and its choice cues.
    `norm`: the analyzer's normalised text of `analysis.text` (normalised here when not given)."""
    context = context or AnalysisContext()
    if analysis.not_a_reply:
        return analysis
    norm = normalize(analysis.text) if norm is None else norm
    spans: dict[str, list[str]] = {}
    for ev in analysis.evidence:
        if ev.kind == "topic":
            spans.setdefault(ev.rule, []).append(normalize(ev.span.text))
    asked = asked_topics(norm, context.fact_topics, analysis.fact_topics, spans) if analysis.question else []
    return attach_slots(analysis, context.customer_message, _calendar(context), norm, update={
        "asked_fact_topics": asked,
        "names_options": names_options(norm),
        "offers_alternatives": offers_alternatives(norm),
        "invites_account": invites_account(norm),
        "confirms": confirming_sentences(norm) if analysis.question else [],
    })
