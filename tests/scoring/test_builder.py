"""scoring.models.builder: a model built from a dict of its fields through its own validator is the
model built with keywords (issue 18 §4: the analyzer's ~120,000 small models a run, without __init__)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from scoring import analyze
from scoring.models import Act, ActKind, Evidence, Remedy, RemedyKind, ReplyAnalysis, Span, builder


def test_the_same_instance_as_with_keywords():
    span = Span(text="补发", start=4, end=6)
    cases = [
        (Span, {"text": "补发", "start": 4, "end": 6}),
        (Act, {"kind": ActKind.offer, "span": span, "actor": "shop", "past": False, "conditional": False,
               "quoted": False, "remedy": RemedyKind.reship}),
        (Remedy, {"kind": RemedyKind.reship, "time_frame": "24小时内", "hours": 24.0, "span": span}),
        (Evidence, {"kind": "solution", "rule": "remedy.reship", "span": span}),
    ]
    for model, fields in cases:
        built, made = builder(model)(dict(fields)), model(**fields)
        assert type(built) is model and built == made
        assert built.model_fields_set == made.model_fields_set  # defaults stay unset, as with keywords
        assert built.model_dump() == made.model_dump()


def test_a_whole_analysis_rebuilt_from_its_fields_is_equal():
    analysis = analyze("非常抱歉，给您添麻烦了，我们24小时内为您补发，您看可以吗？")
    fields = {name: getattr(analysis, name) for name in analysis.model_fields_set}
    assert builder(ReplyAnalysis)(fields) == ReplyAnalysis(**fields) == analysis


def test_bad_fields_are_refused_alike():
    with pytest.raises(ValidationError) as by_builder:
        builder(Span)({"text": "补发", "start": "四", "end": 6})
    with pytest.raises(ValidationError) as by_keywords:
        Span(text="补发", start="四", end=6)
    assert by_builder.value.errors() == by_keywords.value.errors()
