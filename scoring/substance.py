"""The reader's last stage (issue 17): what each offer is (slots) and what the reply asks.

`read_substance(analysis, context)` runs at the end of the analysis, so that the engine and the
scorecard take everything they know about a reply from the reader's output (one reading, not two).
"""

from __future__ import annotations

from types import SimpleNamespace

from scoring.asking import asked_topics, confirming_sentences, invites_account, names_options, offers_alternatives
from scoring.models import AnalysisContext, ReplyAnalysis
from scoring.normalize import normalize
from scoring.segments import Segments
from scoring.slots import Calendar, slot_update


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
    if analysis.not_a_reply:
        return analysis
    update = substance_update(analysis, context, norm)
    return analysis.model_copy(update=update) if update else analysis


def substance_fields(fields: dict, context: AnalysisContext | None, norm: str | None = None,
                     segs: Segments | None = None) -> dict:
    """The analyzer's fields of a ReplyAnalysis (a reply, not stuffing) with what read_substance() would set:
    the reply is built once from these (scoring.models.builder), not built and then copied. `segs`: the
    analyzer's Segments of `norm` (the slot stage's clauses, not worked out again)."""
    draft = SimpleNamespace(not_a_reply=None, **fields)  # what the stage reads of the reply, before it exists
    return {**fields, **substance_update(draft, context, norm, segs)}


def substance_update(analysis, context: AnalysisContext | None, norm: str | None = None,
                     segs: Segments | None = None) -> dict:
    """The fields read_substance() sets on `analysis` (a ReplyAnalysis or the analyzer's draft of one)."""
    context = context or AnalysisContext()
    norm = normalize(analysis.text) if norm is None else norm
    spans: dict[str, list[str]] = {}
    for ev in analysis.evidence:
        if ev.kind == "topic":
            spans.setdefault(ev.rule, []).append(normalize(ev.span.text))
    asked = asked_topics(norm, context.fact_topics, analysis.fact_topics, spans) if analysis.question else []
    return slot_update(analysis, context.customer_message, _calendar(context), norm, update={
        "asked_fact_topics": asked,
        "names_options": (named := names_options(norm)),
        "offers_alternatives": offers_alternatives(norm, named),  # (names_options' scan not run again)
        "invites_account": invites_account(norm),
        "confirms": confirming_sentences(norm) if analysis.question else [],
    }, segs=segs)
