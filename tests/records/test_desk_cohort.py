"""The cohort summary behind the desk and the report: statuses (expiring and expired included),
best/last in effect, pass rates, histogram and trend consistent with the records."""

from __future__ import annotations

from datetime import timedelta

from desk_cohort import NOW, fixed_clock, small_cohort

from simulator.desk.cohort import Filters, cell_status, load_cohort
from simulator.records.store import open_store


def _attempt(status="completed", passed=None, total=None, valid_until=None, override=None):
    return {"status": status, "passed": passed, "total": total, "valid_until": valid_until, "override": override}


def test_statuses():
    assert cell_status([], NOW) == "not_started"
    assert cell_status([_attempt(passed=False, total=40), _attempt("in_progress")], NOW) == "in_progress"
    assert cell_status([_attempt(passed=False, total=40)], NOW) == "failed"
    assert cell_status([_attempt(passed=False, total=40), _attempt("interrupted")], NOW) == "interrupted"
    far, soon, past = NOW + timedelta(days=200), NOW + timedelta(days=10), NOW - timedelta(days=1)
    assert cell_status([_attempt(passed=True, total=80, valid_until=far)], NOW) == "passed"
    assert cell_status([_attempt(passed=True, total=80, valid_until=soon)], NOW) == "expiring"
    assert cell_status([_attempt(passed=True, total=80, valid_until=past)], NOW) == "expired"
    overridden = _attempt(passed=False, total=60, valid_until=far,
                          override={"total": 75, "passed": True, "reason": "复核"})
    assert cell_status([overridden], NOW) == "passed"  # the lead's override is the verdict in effect


def test_summary_is_consistent_with_the_records(tmp_path):
    with open_store(str(tmp_path / "k.db"), now=fixed_clock) as store:
        items = small_cohort(store)
        graded = [a for a in items if a.status == "completed"]
        store.add_override(graded[0].id, "组长", 99, True, "复核")
        cohort = load_cohort(store)
        assert len(cohort.attempts) == len(items)
        assert sum(cohort.histogram()) == len(graded) == len(cohort.scores())
        assert sorted(cohort.scores()) == sorted([99] + [a.total for a in graded[1:]])  # the override in effect
        rates = cohort.pass_rates()
        for exam, (passed, took) in rates.items():
            assert took == len({a.trainee for a in items if a.exam.id == exam})
        cell = cohort.cells[(graded[0].trainee, graded[0].exam.id)]
        assert cell.best == max(99, *(a.total for a in graded if a.trainee == graded[0].trainee
                                      and a.exam.id == graded[0].exam.id))
        weeks = cohort.trend()
        assert all(b[0] - a[0] == timedelta(days=7) or b[0] > a[0] for a, b in zip(weeks, weeks[1:]))
        dims = cohort.dimension_averages()
        sessions = [s for a in items for s in a.sessions if s.scores]
        assert abs(dims["empathy"] - sum(s.scores["empathy"] for s in sessions) / len(sessions)) < 1e-9
        later = load_cohort(store, Filters(since=items[3].started_at.date()))
        assert {a["id"] for a in later.attempts} == {a.id for a in items if a.started_at >= items[3].started_at}
