"""Which documented behaviour change can explain a failing example (issue 21 §4).

A file written for an earlier kefu behaviour (`kefu_version`, none meaning the previous release)
may fail an example after an upgrade. `upgrade_notes` names the changes since that version whose
signs show in the failing conversation, with the Chinese explanation and how to update the file.
"""

from __future__ import annotations

from collections.abc import Callable

from scoring.models import TurnRecord
from scoring.normalize import to_simplified
from simulator.content.behaviour import BehaviourChange, changelog, changes_since, current_version
from simulator.content.models import Scenario
from simulator.i18n import _

Sign = Callable[[list[TurnRecord]], bool]


def _any(test: Callable[[TurnRecord], bool]) -> Sign:
    return lambda turns: any(test(t) for t in turns)


def _reader_acts(t: TurnRecord) -> bool:
    a = t.analysis
    return any(bool(getattr(a, name, False)) for name in ("breezy", "brush_off", "doubts_customer", "asks_review",
                                                           "offers_choice"))


def _dialect_or_script(t: TurnRecord) -> bool:
    return to_simplified(t.reply) != t.reply or any("a" <= ch.lower() <= "z" for ch in t.reply)


SIGNS: dict[str, Sign] = {
    "offers_remedy": _any(lambda t: bool(t.analysis.remedies)),
    "closes": _any(lambda t: t.analysis.thanks or t.analysis.commitment),
    "closed_question": _any(lambda t: t.analysis.question_kind == "closed"),
    "reader_acts": _any(_reader_acts),
    "violation": _any(lambda t: bool(t.analysis.violations)),
    "dialect_or_script": _any(_dialect_or_script),
    "reader_model": _any(lambda t: any(e.rule.startswith("model:") for e in t.analysis.evidence)),
    "quick_reply_first": lambda turns: bool(turns) and turns[0].quick_reply,
}
"""What a change can touch, read from a played conversation (behaviour_changes.yaml `signs`)."""


def written_for(scenario: Scenario) -> str | None:
    """The case's `kefu_version` (None: written before versions existed, i.e. for the previous release).
    The examples live in the case file, so its version is the one that counts."""
    return scenario.kefu_version


def explaining_changes(scenario: Scenario, turns: list[TurnRecord]) -> list[BehaviourChange]:
    """The changes since the content's version whose signs are in the conversation."""
    return [c for c in changes_since(written_for(scenario))
            if any(SIGNS[s](turns) for s in c.signs if s in SIGNS)]


def upgrade_notes(scenario: Scenario, turns: list[TurnRecord]) -> list[str]:
    """Lines for `kefu check` under a failing example: the changes that can explain it, or nothing."""
    changes = explaining_changes(scenario, turns)
    if not changes:
        return []
    version = written_for(scenario)
    if version:
        head = _("这个案例是按 kefu {old} 的行为写的（kefu_version: {old}），现在是 {new}").format(
            old=version, new=current_version())
    else:
        head = _("这个案例没有写 kefu_version，是按上一版 kefu（{old}）的行为写的，现在是 {new}").format(
            old=changelog().previous, new=current_version())
    lines = [head + _("；可能是这些行为变化造成的（详见 docs/behaviour-changes.md）：")]
    for c in changes:
        lines.append(_("【{title}】（{id}，问题 {issue}）{explanation}").format(
            title=c.title, id=c.id, issue=c.issue, explanation=c.explanation))
        lines.append(_("    怎么改：{update}").format(update=c.update))
    lines.append(_("改好、示例通过之后，把 kefu_version 改成 {new}，这段说明就不再出现。").format(new=current_version()))
    return lines
