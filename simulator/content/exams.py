"""Exams as content (`exams/<id>.yaml`): which scenarios, the pass mark, attempts, time limits.

Read like personas and scenarios (YAML with positions, pydantic with extra="forbid", every problem
as path:line:col) from the built-in `exams/` folder and each content folder's `exams/`; a later
folder's exam replaces an earlier one with the same id. References to scenarios and the ranges of
pass marks are checked against the library, with Chinese messages.
"""

from __future__ import annotations

import difflib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from simulator.content.ids import id_problem
from simulator.content.loader import YAML_SUFFIXES, LoadedFile, _parse, _read_text, _validation_problems
from simulator.content.models import Outcome, Scenario
from simulator.content.problems import ContentError, Problem, sorted_problems

EXAMS_DIR = "exams"
Dimension = Literal["apology", "empathy", "question", "solution"]
Category = Literal["product", "service", "logistics", "buyer"]
MAX_SECONDS = 86400


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DrawRule(_Strict):
    """Draw `count` scenarios at random (per attempt) from those matching the filters."""

    count: int = Field(description="How many scenarios to draw (at least 1).")
    category: Category | None = Field(default=None, description="Only scenarios of this after-sales category.")
    min_difficulty: int = Field(default=1, description="Lowest difficulty drawn (1-5).")
    max_difficulty: int = Field(default=5, description="Highest difficulty drawn (1-5).")
    pool: list[str] = Field(default_factory=list, description="Only these scenario ids (default: all in use).")


class PassMark(_Strict):
    """What passing takes."""

    total: int = Field(description="The lowest passing total, 0-100 (the average of the scenarios' totals).")
    dimensions: dict[Dimension, int] = Field(
        default_factory=dict, description="Lowest average per dimension (apology, empathy, question, solution), 0-100.")
    no_policy_breach: bool = Field(default=False, description="Fail on any promise beyond a scenario's policy.")
    outcomes: list[Outcome] = Field(
        default_factory=list, description="Outcomes each scenario must end with (e.g. [resolved]); empty: any.")
    fail_on: list[str] = Field(
        default_factory=list,
        description="Violation codes (insult, overpromise, …) or deduction rules (policy.breach, reply.slow, …) "
                    "that fail an attempt outright, whatever its total.")


class TimeLimit(_Strict):
    """Time limits; past one, the conversation ends there."""

    scenario_seconds: float | None = Field(default=None, description="Longest conversation, in seconds.")
    reply_seconds: float | None = Field(default=None, description="Longest wait for one reply, in seconds.")


class Exam(_Strict):
    """A certification exam (`exams/<id>.yaml`)."""

    id: str
    title: str
    description: str = ""
    scenarios: list[str] = Field(default_factory=list, description="A fixed list of scenario ids, in order.")
    draw: list[DrawRule] = Field(default_factory=list, description="Or: rules drawing scenarios per attempt.")
    pass_mark: PassMark
    attempts: int = Field(default=1, description="Attempts allowed per trainee (interrupted ones count).")
    time_limit: TimeLimit = Field(default_factory=TimeLimit)
    hide_feedback: bool = Field(default=True, description="No coaching or issue checklist during the attempt.")
    validity_days: int | None = Field(default=None, description="Days a pass stays valid before recertification.")
    review: Literal["required", "none"] = Field(
        default="none", description="required: a finished attempt waits as 待复核 until a team lead decides.")

    @model_validator(mode="after")
    def _one_source(self) -> "Exam":
        if bool(self.scenarios) == bool(self.draw):
            raise ValueError("scenarios（固定的场景列表）和 draw（抽题规则）必须给一个，且只能给一个")
        return self


@dataclass
class ExamSet:
    """The exams in use, with where each came from and every problem found."""

    exams: dict[str, Exam] = field(default_factory=dict)
    files: dict[str, LoadedFile] = field(default_factory=dict)
    all_files: list[LoadedFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def load_exam_file(path: Path) -> LoadedFile:
    """Read and validate one exam file; never raises."""
    loaded = LoadedFile(Path(path))
    loaded.kind = "exam"  # type: ignore[assignment]
    try:
        text = _read_text(loaded)
        if text is None:
            return loaded
        node, data = _parse(loaded, text)
        loaded.node = node
        if data is None:
            if not loaded.problems:
                loaded.problems.append(Problem(loaded.path, 1, 1, "考试文件是空的；需要 id、title、scenarios、pass_mark 等键"))
            return loaded
        if not isinstance(data, dict):
            loaded.problems.append(Problem(loaded.path, 1, 1, "考试文件的顶层应是键值映射（id: …、title: …）"))
            return loaded
        try:
            model = Exam.model_validate(data)
        except ValidationError as exc:
            loaded.problems.extend(_validation_problems(loaded.path, node, Exam, "exam", exc))
            return loaded
        if not loaded.problems:
            loaded.model = model
    except Exception as exc:  # noqa: BLE001 - the last guard: no traceback for any input
        loaded.model = None
        loaded.problems.append(Problem(loaded.path, 1, 1, f"无法读取这个考试文件（{type(exc).__name__}: {exc}）"))
    return loaded


def exam_files(root: Path) -> list[Path]:
    """The exam files of a content folder (its exams/), an exams/ folder itself, or one exam file."""
    root = Path(root)
    if root.is_file():
        return [root] if root.parent.name == EXAMS_DIR and root.suffix.lower() in YAML_SUFFIXES else []
    folder = root if root.name == EXAMS_DIR else root / EXAMS_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*") if p.suffix.lower() in YAML_SUFFIXES and p.is_file()
                  and not p.name.startswith((".", "_")))


def load_exams(roots: Iterable[Path], scenarios: dict[str, Scenario]) -> ExamSet:
    """Every exam under the roots (later ids replace earlier ones), checked against the scenarios."""
    found = ExamSet()
    for root in roots:
        in_root: dict[str, LoadedFile] = {}
        for path in exam_files(Path(root)):
            loaded = load_exam_file(path)
            found.all_files.append(loaded)
            found.problems.extend(loaded.problems)
            exam = loaded.model
            if not isinstance(exam, Exam):
                continue
            if exam.id in in_root:
                line, _ = in_root[exam.id].position("id")
                found.problems.append(loaded.problem(("id",), f"考试 id '{exam.id}' 重复：{in_root[exam.id].path}:{line} 也用了它"))
                continue
            in_root[exam.id] = loaded
            found.exams[exam.id] = exam
            found.files[exam.id] = loaded
    for exam_id, loaded in list(found.files.items()):
        problems = exam_problems(loaded, scenarios)
        found.problems.extend(problems)
        if any(p.is_error for p in problems):
            del found.exams[exam_id]
    found.problems = sorted_problems(found.problems)
    return found


def _in_range(loaded: LoadedFile, loc: tuple, value: float | None, low: float, high: float, what: str,
              low_open: bool = False) -> list[Problem]:
    if value is None:
        return []
    ok = (value > low if low_open else value >= low) and value <= high
    if ok:
        return []
    rule = f"大于 {low:g}" if low_open else f"至少 {low:g}"
    return [loaded.problem(loc, f"{what} 是 {value:g}，超出范围：应{rule}、最多 {high:g}")]


def exam_problems(loaded: LoadedFile, scenarios: dict[str, Scenario]) -> list[Problem]:
    """Errors in a valid exam: bad id, missing scenarios, impossible draws, values out of range (Chinese)."""
    exam: Exam = loaded.model  # type: ignore[assignment]
    out: list[Problem] = []
    bad_id = id_problem(loaded, exam.id, "考试")
    if bad_id is not None:
        out.append(bad_id)
    known = sorted(scenarios)
    out += _in_range(loaded, ("pass_mark", "total"), exam.pass_mark.total, 0, 100, "及格分 pass_mark.total")
    for dim, value in exam.pass_mark.dimensions.items():
        out += _in_range(loaded, ("pass_mark", "dimensions", dim), value, 0, 100, f"单项最低分 pass_mark.dimensions.{dim}")
    out += _in_range(loaded, ("attempts",), exam.attempts, 1, 100, "允许次数 attempts")
    out += _in_range(loaded, ("time_limit", "scenario_seconds"), exam.time_limit.scenario_seconds, 0, MAX_SECONDS,
                     "每个场景的时限 time_limit.scenario_seconds", low_open=True)
    out += _in_range(loaded, ("time_limit", "reply_seconds"), exam.time_limit.reply_seconds, 0, MAX_SECONDS,
                     "每句回复的时限 time_limit.reply_seconds", low_open=True)
    out += _in_range(loaded, ("validity_days",), exam.validity_days, 1, 36500, "有效天数 validity_days")
    out += fail_on_problems(loaded, exam.pass_mark.fail_on)
    seen: dict[str, int] = {}
    for n, scenario_id in enumerate(exam.scenarios):
        if scenario_id not in scenarios:
            out.append(loaded.problem(("scenarios", n), f"场景 '{scenario_id}' 不存在{_did_you_mean(scenario_id, known)}"
                                      f"（可用的场景：{', '.join(known) or '无'}）"))
        elif scenario_id in seen:
            out.append(loaded.problem(("scenarios", n), f"场景 '{scenario_id}' 重复（第 {seen[scenario_id] + 1} 项已有）"))
        seen.setdefault(scenario_id, n)
    taken: set[str] = set(exam.scenarios)
    for n, rule in enumerate(exam.draw):
        out += _in_range(loaded, ("draw", n, "count"), rule.count, 1, 50, f"draw[{n}].count")
        out += _in_range(loaded, ("draw", n, "min_difficulty"), rule.min_difficulty, 1, 5, f"draw[{n}].min_difficulty")
        out += _in_range(loaded, ("draw", n, "max_difficulty"), rule.max_difficulty, 1, 5, f"draw[{n}].max_difficulty")
        for k, scenario_id in enumerate(rule.pool):
            if scenario_id not in scenarios:
                out.append(loaded.problem(("draw", n, "pool", k),
                                          f"场景 '{scenario_id}' 不存在{_did_you_mean(scenario_id, known)}"))
        candidates = [s for s in candidates_for(rule, scenarios) if s not in taken]
        if rule.count >= 1 and len(candidates) < rule.count:
            out.append(loaded.problem(("draw", n), f"draw[{n}] 要抽 {rule.count} 个场景，符合条件的只有 {len(candidates)} 个"
                                      f"（{', '.join(candidates) or '无'}）"))
        taken.update(candidates[: rule.count])
    return out


def fail_on_rule(code: str) -> str | None:
    """The deduction rule a `pass_mark.fail_on` entry names (a violation code or a rule id), or None."""
    from scoring.rubric import RULES_BY_ID, VIOLATION_RULES

    rule_id = VIOLATION_RULES.get(code, code)
    found = RULES_BY_ID.get(rule_id)
    return rule_id if found is not None and found.dimension == "deduction" else None


def fail_on_problems(loaded: LoadedFile, codes: list[str]) -> list[Problem]:
    """Unknown or repeated entries of pass_mark.fail_on, with what is allowed (Chinese)."""
    from scoring.rubric import RULES, VIOLATION_RULES

    allowed = list(VIOLATION_RULES) + [r.id for r in RULES if r.dimension == "deduction"]
    out: list[Problem] = []
    seen: set[str] = set()
    for n, code in enumerate(codes):
        rule_id = fail_on_rule(code)
        if rule_id is None:
            out.append(loaded.problem(("pass_mark", "fail_on", n), f"一票否决项 '{code}' 不认识{_did_you_mean(code, allowed)}"
                                      f"（可用：{', '.join(allowed)}）"))
        elif rule_id in seen:
            out.append(loaded.problem(("pass_mark", "fail_on", n), f"一票否决项 '{code}' 重复"))
        else:
            seen.add(rule_id)
    return out


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"；是不是 '{close[0]}'？" if close else ""


def candidates_for(rule: DrawRule, scenarios: dict[str, Scenario]) -> list[str]:
    """The scenario ids a draw rule may pick, sorted (so a seed always draws the same)."""
    ids = rule.pool or sorted(scenarios)
    return [s for s in ids if s in scenarios
            and (rule.category is None or scenarios[s].category == rule.category)
            and rule.min_difficulty <= scenarios[s].difficulty <= rule.max_difficulty]


def plan(exam: Exam, scenarios: dict[str, Scenario], seed: int) -> list[str]:
    """The scenarios of one attempt, in order: the fixed list, or drawn with random.Random(seed)."""
    if exam.scenarios:
        return list(exam.scenarios)
    rng = random.Random(seed)
    chosen: list[str] = []
    for rule in exam.draw:
        candidates = [s for s in candidates_for(rule, scenarios) if s not in chosen]
        chosen += rng.sample(candidates, min(rule.count, len(candidates)))
    return chosen


def session_seed(attempt_seed: int, position: int) -> int:
    """The seed of the conversation at `position` in an attempt: two attempts meet different variants."""
    return random.Random(f"{attempt_seed}:{position}").randrange(1_000_000)


def load_exam_library(extra_dirs: Sequence[Path] = ()):
    """(content library, exams in use); ContentError when either has errors."""
    from simulator.content.library import content_roots, load_library

    library = load_library(list(extra_dirs))
    exams = load_exams(content_roots(extra_dirs), library.scenarios)
    if exams.errors:
        raise ContentError(exams.problems)
    return library, exams
