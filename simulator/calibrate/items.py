"""Item analysis over an exam's real conversations: for every scoring rule and every dimension, how
often it fires, and its correlation with the rest of the total (the total without that item's own
contribution, so an item is not correlated with itself). Flags rules that fire for nearly everyone
or nobody, and rules whose correlation is negative (usually a rule that is wrong).

A dimension rule fires in a conversation when it earned points; a deduction rule whenever it was
found (even when a cap left it taking nothing off).
"""

from __future__ import annotations

from typing import Any

from simulator.calibrate.statistics import pearson

NEARLY_ALL = 0.95
NEARLY_NONE = 0.05


def _contribution(dimension: str, points: float, weights: dict[str, int]) -> float:
    """What an item's points add to the total: dimension points are weighted, deductions count as such."""
    return points if dimension == "deduction" else points * weights.get(dimension, 0) / 100


def analyse(conversations: list[dict[str, Any]]) -> dict[str, Any]:
    """Rows for every rule of the rubric and every dimension, over these conversations."""
    from scoring.rubric import DIMENSION_NAMES, DIMENSION_WEIGHTS, RULES

    n = len(conversations)
    totals = [c["total"] for c in conversations]
    rows = []
    for dim in ("apology", "empathy", "question", "solution"):
        scores = [c[dim] for c in conversations]
        rest = [t - _contribution(dim, s, DIMENSION_WEIGHTS) for t, s in zip(totals, scores)]
        fired = sum(1 for s in scores if s > 0)
        rows.append(_row("dimension", dim, DIMENSION_NAMES[dim], dim, fired, n,
                         sum(scores) / n if n else None, pearson(scores, rest)))
    for rule in RULES:
        points, fires = [], 0
        for c in conversations:
            items = [i for i in (c.get("scorecard") or {}).get("items") or [] if i.get("rule") == rule.id]
            got = sum(i.get("points") or 0 for i in items)
            points.append(got)
            if (rule.dimension == "deduction" and items) or got > 0:
                fires += 1
        rest = [t - _contribution(rule.dimension, p, DIMENSION_WEIGHTS) for t, p in zip(totals, points)]
        rows.append(_row("rule", rule.id, rule.title, rule.dimension, fires, n,
                         sum(points) / n if n else None, pearson(points, rest)))
    return {"conversations": n, "items": rows}


def _row(kind: str, key: str, title: str, dimension: str, fired: int, n: int, mean: float | None,
         r: float | None) -> dict[str, Any]:
    rate = fired / n if n else None
    flags = []
    if rate is not None and rate >= NEARLY_ALL:
        flags.append("几乎人人都触发")
    if rate is not None and rate <= NEARLY_NONE:
        flags.append("几乎没人触发")
    if r is not None and r < 0:
        flags.append("与其余总分负相关（规则可能有误）")
    return {"kind": kind, "id": key, "title": title, "dimension": dimension, "fired": fired,
            "rate": None if rate is None else round(rate, 3), "mean_points": None if mean is None else round(mean, 2),
            "correlation": None if r is None else round(r, 3), "flags": flags}


def as_text(result: dict[str, Any], title: str) -> str:
    """Aligned plain text (Chinese)."""
    from simulator.calibrate.report import _table, size_warning

    n = result["conversations"]
    out = [f"题目分析：{title}（{n} 段对话）"]
    warning = size_warning(n)
    if warning:
        out.append("注意：" + warning.replace("评了", "有").replace("下面的数字", "这些数字"))
    rows = [["项目", "名称", "触发", "触发率", "平均得分", "与其余总分的相关", "提示"]]
    for item in result["items"]:
        rows.append([item["id"], item["title"], str(item["fired"]),
                     "—" if item["rate"] is None else f"{item['rate']:.0%}",
                     "—" if item["mean_points"] is None else f"{item['mean_points']:g}",
                     "—（无差异）" if item["correlation"] is None else f"{item['correlation']:.2f}",
                     "；".join(item["flags"])])
    out += ["", _table(rows), "",
            "怎么读：触发率接近 100% 或 0% 的规则区分不了学员；与其余总分负相关的规则，往往是规则本身写错了，"
            "先看它的依据再决定改不改。"]
    return "\n".join(out)
