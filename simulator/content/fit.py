"""The case's "what would fit" fields (issue 17 §2), checked: calendar, needed_by, attributes, least_yuan.

`fit_problems(loaded)` is part of `scenario_problems` (so load and lint agree): a date that is no date,
a weekday that does not fit the date, a `needed_by` with no calendar or before it are errors; an
attribute the case never mentions is a warning; a `least_yuan` above the demand is an error, above what the
shop may give a warning. `parse_moment()` is the engine's reading of the fields.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from simulator.content.models import RemedyKind, Scenario
from simulator.content.problems import Problem
from simulator.i18n import _

if TYPE_CHECKING:  # only a type: fit.py stays outside the loader's imports
    from simulator.content.loader import LoadedFile

WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_WEEKDAY_ALIASES = {"星期": "周", "礼拜": "周", "周天": "周日", "周七": "周日"}


def parse_moment(value: str, end_of_day: bool = True) -> datetime:
    """'2026-11-27' (the end of that day) or '2026-11-27 18:00' -> datetime; ValueError when neither."""
    value = str(value).strip().replace("T", " ")
    if " " in value:
        day, _, at = value.partition(" ")
        hh, mm = (int(x) for x in at.split(":")[:2])
        return datetime.combine(date.fromisoformat(day), time(hh, mm))
    return datetime.combine(date.fromisoformat(value), time(23, 59) if end_of_day else time(0, 0))


def calendar_now(scenario: Scenario) -> datetime | None:
    """The story's now, or None when the case has no (valid) calendar."""
    if scenario.calendar is None:
        return None
    try:
        return parse_moment(f"{scenario.calendar.date} {scenario.calendar.time}")
    except ValueError:
        return None


def _weekday(text: str) -> str:
    for old, new in _WEEKDAY_ALIASES.items():
        text = text.replace(old, new)
    return text.replace("天", "日")


def _mentions(scenario: Scenario) -> str:
    """Everything the case says in words, where an attribute must appear."""
    parts = [scenario.summary, scenario.wish.summary, scenario.wish.demand, scenario.title, *scenario.opening,
             *scenario.case_terms]
    for f in scenario.facts:
        parts += [f.value, f.reveal]
    for i in scenario.issues:
        parts += [i.summary, i.complaint, *i.keywords, *i.reminder]
    return "\n".join(parts)


def fit_problems(loaded: "LoadedFile") -> list[Problem]:
    """Errors and warnings of calendar, needed_by, attributes, parts and least_yuan."""
    scenario: Scenario = loaded.model  # type: ignore[assignment]
    problems: list[Problem] = []
    now = None
    cal = scenario.calendar
    if cal is not None:
        try:
            now = parse_moment(f"{cal.date} {cal.time}")
        except ValueError:
            problems.append(loaded.problem(("calendar",), _(
                "calendar 的日期或时间写得不对：“{date} {time}”；日期写 YYYY-MM-DD（例如 2026-11-19），时间写 HH:MM").format(
                date=cal.date, time=cal.time)))
        if now is not None and cal.weekday and _weekday(cal.weekday) != WEEKDAYS[now.weekday()]:
            problems.append(loaded.problem(("calendar", "weekday"), _(
                "calendar.weekday 写的是“{weekday}”，但 {date} 是{actual}").format(
                weekday=cal.weekday, date=cal.date, actual=WEEKDAYS[now.weekday()])))
    wishes = [(("wish",), scenario.wish.needed_by, scenario.wish.attributes, scenario.wish.parts)]
    wishes += [(("issues", n, "wish"), i.wish.needed_by, i.wish.attributes, i.wish.parts)
               for n, i in enumerate(scenario.issues) if i.wish is not None]
    said = _mentions(scenario)
    for loc, needed_by, attributes, parts in wishes:
        if needed_by:
            try:
                moment = parse_moment(needed_by)
            except ValueError:
                problems.append(loaded.problem((*loc, "needed_by"), _(
                    "needed_by 写得不对：“{value}”；写 YYYY-MM-DD 或 YYYY-MM-DD HH:MM（例如 2026-11-27 或 2026-11-27 18:00）"
                ).format(value=needed_by)))
            else:
                if cal is None:
                    problems.append(loaded.problem((*loc, "needed_by"), _(
                        "写了 needed_by 却没有 calendar：请在案例里加 calendar（date、time、weekday），"
                        "客服说的“明天”“下周一”才能换算")))
                elif now is not None and moment < now:
                    problems.append(loaded.problem((*loc, "needed_by"), _(
                        "needed_by（{value}）早于案例的 calendar（{now}）：顾客要的时间已经过去了").format(
                        value=needed_by, now=now.strftime("%Y-%m-%d %H:%M"))))
        for k, attribute in enumerate(attributes):
            if attribute and attribute not in said:
                problems.append(loaded.problem((*loc, "attributes", k), _(
                    "attributes 里的“{value}”在案例的概要、事实、问题和开场白里都没有出现：顾客要的东西案例里要写清楚"
                ).format(value=attribute), "warning"))
        for k, part in enumerate(parts):
            if part and part not in said:
                problems.append(loaded.problem((*loc, "parts", k), _(
                    "parts 里的“{value}”在案例的概要、事实、问题和开场白里都没有出现：顾客要的东西案例里要写清楚"
                ).format(value=part), "warning"))
    problems += _money_problems(loaded, scenario)
    return problems


def _money_problems(loaded: "LoadedFile", scenario: Scenario) -> list[Problem]:
    """least_yuan (the real loss) against what the customer demands and what the shop may give."""
    problems: list[Problem] = []
    cap = scenario.policy.max_compensation_yuan
    wishes = [(("wish",), scenario.wish)] + [(("issues", n, "wish"), i.wish) for n, i in enumerate(scenario.issues)
                                              if i.wish is not None]
    for loc, wish in wishes:
        least, demand = wish.least_yuan, wish.demand_yuan or scenario.wish.demand_yuan
        if least is None:
            continue
        if demand is not None and least > demand:
            problems.append(loaded.problem((*loc, "least_yuan"), _(
                "least_yuan（{least:g}元）比顾客要的 demand_yuan（{demand:g}元）还多：实际损失不会超过顾客开口要的数").format(
                least=least, demand=demand)))
        elif (not scenario.policy.full_refund and RemedyKind.refund not in scenario.policy.allowed
              and cap is not None and least > cap):  # (a refund's money is the order's, not the compensation cap)
            problems.append(loaded.problem((*loc, "least_yuan"), _(
                "least_yuan（{least:g}元）超过了店铺最多能给的 max_compensation_yuan（{cap:g}元）：客服怎么给都不够，"
                "顾客永远不会接受").format(least=least, cap=cap), "warning"))
    return problems
