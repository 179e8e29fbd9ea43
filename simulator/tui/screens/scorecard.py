"""The scorecard: outcome and why, the four dimensions, the mood curve, violations, slow replies,
unanswered issues, three tips; retry (same seed), next scenario, save the report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.markup import escape
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Sparkline, Static

from scoring.rubric import DIMENSION_NAMES
from simulator.tui.storage import OUTCOME_NAMES, BestScores, save_report
from simulator.tui.widgets.cjk_text import CJKStatic
from simulator.tui.widgets.score_bar import ScoreBar

SLOWEST_SHOWN = 3
CIRCLED = "①②③④⑤"
# Marks sit right against Chinese text: Textual wraps only at spaces, so "☐ 很长的中文" would leave "☐" alone on a line.


def outcome_reason(outcome: str, session, scenario) -> str:
    """Why the conversation ended the way it did, in Chinese."""
    mood, label = session.mood, session.state_label
    meter = getattr(getattr(getattr(session, "persona", None), "mood", None), "label", "怒气")
    reasons = {
        "resolved": f"顾客接受了你的方案，情绪平复下来（{meter} {mood}，{label}）。",
        "escalated": f"顾客的火气越来越大，要投诉、给差评（{meter} {mood}，{label}）。",
        "abandoned": f"顾客等得太久或失去了耐心，离开了对话（{meter} {mood}）。",
        "unfinished": f"你提前结束了对话，顾客的问题还没解决（{meter} {mood}，{label}）。",
    }
    text = reasons.get(outcome, f"结果：{outcome}")
    if getattr(session, "policy_breach", False):
        text += f" 注意：你的承诺超出了店铺政策（{scenario.policy.notes.strip()[:40]}…）。"
    return text


def build_report(scenario, seed: int, session, scorecard, record) -> dict[str, Any]:
    """Everything worth keeping about a finished conversation, as plain data (saved as JSON)."""
    return {
        "scenario_id": scenario.id,
        "title": scenario.title,
        "seed": seed,
        "outcome": record.outcome,
        "policy_breach": bool(getattr(session, "policy_breach", False)),
        "mood_history": list(session.mood_history),
        "transcript": [
            {"role": t.role, "text": t.text, "mood": t.mood, "state": t.state, "seconds": t.seconds}
            for t in session.transcript
        ],
        "record": record.model_dump(mode="json"),
        "scorecard": scorecard.model_dump(mode="json"),
    }


class ScorecardScreen(Screen):
    """The grade of one conversation, every point explained."""

    BINDINGS = [
        Binding("r", "retry", "重来（同一种子）"),
        Binding("n", "next", "下一个场景"),
        Binding("s", "save", "保存记录"),
        Binding("escape,h", "home", "返回列表"),
        Binding("f1,question_mark", "app.help", "帮助"),
    ]

    @dataclass
    class Saved(Message):
        """The report was written (or failed to be)."""

        paths: tuple[Path, ...]
        error: str = ""

    @dataclass
    class BestRecorded(Message):
        """The best score was updated (new_best) or kept."""

        new_best: bool
        previous: int | None
        error: str = ""

    def __init__(self, scenario, persona, seed: int, session, scorecard, record) -> None:
        super().__init__()
        self.scenario = scenario
        self.persona = persona
        self.seed = seed
        self.session = session
        self.scorecard = scorecard
        self.record = record
        self.saved_paths: tuple[Path, ...] = ()

    def compose(self) -> ComposeResult:
        card, record = self.scorecard, self.record
        outcome = record.outcome
        with VerticalScroll(id="score-body"):
            yield CJKStatic(
                f"[b]{escape(self.scenario.title)}[/b] · 种子 {self.seed}\n"
                f"[b]结果：{OUTCOME_NAMES.get(outcome, outcome)}[/b]  "
                f"{escape(outcome_reason(outcome, self.session, self.scenario))}",
                id="score-outcome", classes=f"-{outcome}",
            )
            yield Static(f"总分 [b]{card.total}[/b]/100    扣分 -{card.deductions}", id="score-total")
            for dim in ("apology", "empathy", "question", "solution"):
                yield ScoreBar(DIMENSION_NAMES[dim], getattr(card, dim), classes="score-bar")
            history = list(self.session.mood_history)
            yield Static(
                f"{getattr(getattr(self.session, 'persona', None), 'mood', None) and self.session.persona.mood.label or '怒气'}曲线（{' → '.join(str(m) for m in history[:12])}{' …' if len(history) > 12 else ''}）",
                classes="score-heading",
            )
            yield Sparkline([float(m) for m in history] or [0.0], id="score-mood")
            yield CJKStatic(self._violations(), id="score-violations", classes="score-section")
            yield CJKStatic(self._slowest(), id="score-slow", classes="score-section")
            yield CJKStatic(self._unanswered(), id="score-unanswered", classes="score-section")
            yield CJKStatic(self._tips(), id="score-tips", classes="score-section")
            yield CJKStatic(self._items(), id="score-items", classes="score-section")
        with Horizontal(id="score-actions"):
            yield Button("重来 R", id="retry", variant="primary")
            yield Button("下一个 N", id="next")
            yield Button("保存 S", id="save")
            yield Button("返回 Esc", id="home")
        yield Footer()

    def on_mount(self) -> None:
        self._record_best()

    # ---- sections ------------------------------------------------------------------------

    def _violations(self) -> str:
        lines = ["[b]违规和扣分[/b]"]
        items = [i for i in self.scorecard.items
                 if i.dimension == "deduction" and (i.rule.startswith("violation.") or i.rule == "policy.breach")]
        for item in items:
            where = f"第{item.turn + 1}句" if item.turn is not None else "整场"
            lines.append(f"  [$error]✗[/]{where}：{escape(item.reason)}（{item.points}）")
            if item.quote:
                lines.append(f"    原话：“{escape(item.quote)}”")
            if item.better:
                lines.append(f"    [dim]更好的说法：[/]{escape(item.better)}")
        if len(lines) == 1:
            lines.append("  [$success]✓ 没有违规[/]")
        return "\n".join(lines)

    def _slowest(self) -> str:
        limit = self.record.response_limit_seconds
        turns = sorted(self.record.turns, key=lambda t: t.seconds, reverse=True)[:SLOWEST_SHOWN]
        lines = [f"[b]最慢的回复[/b]（时限 {limit:.0f} 秒）"]
        for t in turns:
            mark = "[$error]超时[/]" if t.seconds > limit else "[$success]及时[/]"
            quote = t.reply if len(t.reply) <= 24 else t.reply[:24] + "…"
            lines.append(f"  第{t.index + 1}句 {t.seconds:.0f} 秒 {mark}  “{escape(quote)}”")
        if not turns:
            lines.append("  （没有回复）")
        return "\n".join(lines)

    def _unanswered(self) -> str:
        summaries = {i.id: i.summary for i in self.scenario.issues}
        lines = ["[b]没有回应的问题[/b]"]
        for issue in self.scorecard.unanswered_issues:
            lines.append(f"  [$warning]☐[/]{escape(summaries.get(issue, issue))}")
        if len(lines) == 1:
            lines.append("  [$success]☑ 每个问题都回应了[/]")
        return "\n".join(lines)

    def _tips(self) -> str:
        tips = self.scorecard.tips[:3]
        return "\n".join(["[b]三条建议[/b]", *(f"  {CIRCLED[n]}{escape(t)}" for n, t in enumerate(tips))])

    def _items(self) -> str:
        lines = ["[b]得分明细[/b]（每一分的来由）"]
        for item in self.scorecard.items:
            sign = f"+{item.points}" if item.points > 0 else str(item.points)
            where = f"第{item.turn + 1}句" if item.turn is not None else "整场"
            name = DIMENSION_NAMES.get(item.dimension, item.dimension)
            lines.append(f"  {name} {sign:>4} [dim]{item.rule}[/] {where} {escape(item.reason)}")
        return "\n".join(lines)

    # ---- disk, in workers ------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="best")
    def _record_best(self) -> None:
        # The conversation goes into the practice history (records store); the best score derives from it.
        from simulator.records.errors import RecordsError
        from simulator.records.practice import PracticeRecords

        records = PracticeRecords(self.app.settings.records_dir)
        try:
            new_best, previous = records.record(self.scenario, self.persona, self.seed, self.session, self.scorecard)
        except (OSError, RecordsError) as error:
            self.post_message(self.BestRecorded(False, None, getattr(error, "message", None) or str(error)))
            return
        self.post_message(self.BestRecorded(new_best, previous))

    @on(BestRecorded)
    def _best_recorded(self, event: BestRecorded) -> None:
        if event.error:
            self.notify(f"练习记录没有保存：{event.error}", severity="error", timeout=10)
            return
        if event.new_best and event.previous is not None:
            self.notify(f"新纪录！之前最好 {event.previous} 分。", title="最好成绩")

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def _save(self) -> None:
        report = build_report(self.scenario, self.seed, self.session, self.scorecard, self.record)
        try:
            paths = save_report(self.app.settings.records_dir, report)
        except OSError as error:
            self.post_message(self.Saved((), str(error)))
            return
        self.post_message(self.Saved(paths))

    @on(Saved)
    def _saved(self, event: Saved) -> None:
        if event.error:
            self.notify(f"保存失败：{event.error}", severity="error")
            return
        self.saved_paths = event.paths
        self.notify("\n".join(str(p) for p in event.paths), title="已保存", timeout=8)

    # ---- actions ---------------------------------------------------------------------------

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        getattr(self, f"action_{event.button.id}")()

    def action_retry(self) -> None:
        self.app.start_chat(self.scenario.id, seed=self.seed, replace=True)

    def action_next(self) -> None:
        self.app.start_chat(self.app.next_scenario_id(self.scenario.id), replace=True)

    def action_save(self) -> None:
        self._save()

    def action_home(self) -> None:
        self.app.go_home()
