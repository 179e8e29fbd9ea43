"""Fairness by play (issue 8 §6): trainee scripts in seven styles, written blind to the engine and the
scorer (tests/styles/README.md), played against every built-in scenario with two seeds.

Variants a (all seven styles), c (model and over-conceding), d (model, over-conceding and clumsy) and
e (model and over-conceding), each by another writer, are the sets the engine was tuned with; variant b is the hold-out nobody tunes on — its outcomes are
printed by `python bench/style_table.py --variant b` and reported, not asserted.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from simulator.content.library import load_library
from simulator.engine.replay import parse_replies, play_script

HERE = Path(__file__).parent
SCENARIOS = sorted(p.name for p in HERE.iterdir() if p.is_dir() and (p / "model_a.txt").is_file())  # not new-cases/
SEEDS = (0, 1)


@lru_cache(maxsize=1)
def _library():
    return load_library(include_env=False)


@lru_cache(maxsize=None)
def play(scenario_id: str, style: str, seed: int, variant: str = "a"):
    """(outcome, policy breach, total) of one script, played with the real engine and scorer."""
    library = _library()
    scenario = library.scenarios[scenario_id]
    text = (HERE / scenario_id / f"{style}_{variant}.txt").read_text(encoding="utf-8")
    session = play_script(scenario, library.personas[scenario.persona], parse_replies(text.splitlines()),
                          seed=seed, quick_replies=[q.text for q in library.quick_replies]).session
    return session.outcome, session.policy_breach, session.scorecard().total


def test_every_builtin_scenario_has_all_seven_styles():
    assert set(SCENARIOS) == set(_library().scenarios)
    for sid in SCENARIOS:
        for style in ("model", "clumsy", "rude", "slow", "template", "stuffing", "overconceding"):
            for variant in "ab":
                assert (HERE / sid / f"{style}_{variant}.txt").is_file(), (sid, style, variant)


@pytest.mark.parametrize("variant", ["a", "c", "d", "e"])
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_the_model_trainee_resolves_without_breach(scenario_id, seed, variant):
    outcome, breach, _ = play(scenario_id, "model", seed, variant)
    assert outcome == "resolved" and not breach


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("style", ["clumsy", "rude", "template", "stuffing"])
@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_lazy_rude_pasted_and_stuffed_replies_never_close_a_case(scenario_id, style, seed):
    """Issue 8 §2: vague actions, apologies alone, templates and keyword strings never close a case."""
    outcome, _, _ = play(scenario_id, style, seed)
    assert outcome != "resolved"
    if style == "clumsy":
        assert play(scenario_id, "clumsy", seed, "d")[0] != "resolved"


@pytest.mark.parametrize("variant", ["a", "c", "d", "e"])
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_giving_everything_away_is_a_breach(scenario_id, seed, variant):
    """002 确定界限: the over-conceding trainee crosses the shop's limits."""
    _, breach, _ = play(scenario_id, "overconceding", seed, variant)
    assert breach


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_the_grade_ranks_model_above_clumsy_above_rude(scenario_id, seed):
    model, clumsy, rude = (play(scenario_id, style, seed)[2] for style in ("model", "clumsy", "rude"))
    assert model > clumsy > rude


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_stuffing_and_templates_earn_little(scenario_id, seed):
    """Issue 8 §6: keyword stuffing at most 20, a pasted template at most 40."""
    assert play(scenario_id, "stuffing", seed)[2] <= 20
    assert play(scenario_id, "template", seed)[2] <= 40


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_the_slow_trainee_scores_below_the_model(scenario_id):
    """003 禁区1: the golden 30 seconds — slowness costs, and patient customers still leave."""
    assert play(scenario_id, "slow", 0)[2] < play(scenario_id, "model", 0)[2]
