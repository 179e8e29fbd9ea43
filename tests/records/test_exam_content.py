"""Exams as content: the built-in exam, lint messages (Chinese, path:line:col), drawing by seed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from simulator.content.exams import load_exam_library, plan, session_seed
from simulator.content.paths import builtin_root
from simulator.content.problems import ContentError

from records_helpers import EXAM, EXAM_SCENARIOS, kefu


def test_after_sales_basic_is_built_in_as_specified(exams):
    exam = exams.exams[EXAM]
    assert exam.title == "售后基础认证"
    assert exam.scenarios == EXAM_SCENARIOS
    assert exam.pass_mark.total == 70 and exam.pass_mark.no_policy_breach
    assert exam.attempts == 2 and exam.hide_feedback
    assert exams.problems == []


def test_the_exams_folder_ships_in_the_wheel():
    text = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"exams" = "simulator/builtin/exams"' in text
    assert (builtin_root() / "exams" / f"{EXAM}.yaml").is_file()


def test_exam_list_and_show(capsys):
    listed = kefu(capsys, "exam", "list")
    assert listed.code == 0 and EXAM in listed.out and "售后基础认证" in listed.out
    shown = kefu(capsys, "exam", "show", EXAM)
    assert shown.code == 0
    for sid in EXAM_SCENARIOS:
        assert sid in shown.out
    assert "70" in shown.out and "超出店铺政策" in shown.out and "2" in shown.out
    missing = kefu(capsys, "exam", "show", "no-such-exam")
    assert missing.code == 2 and "没有这个考试" in missing.err and EXAM in missing.err


def _exam_folder(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "content"
    (folder / "exams").mkdir(parents=True)
    (folder / "exams" / "mine.yaml").write_text(text, encoding="utf-8")
    return folder


BAD = {
    "missing scenario": ("id: mine\ntitle: 我的考试\nscenarios: [wig-wrong-colour]\npass_mark: {total: 60}\n",
                         r":3:\d+: 场景 'wig-wrong-colour' 不存在；是不是 'wig-wrong-color'"),
    "pass mark too high": ("id: mine\ntitle: 我的考试\nscenarios: [lost-parcel]\npass_mark:\n  total: 120\n",
                           r":5:10: 及格分 pass_mark.total 是 120，超出范围"),
    "dimension minimum below zero": ("id: mine\ntitle: t\nscenarios: [lost-parcel]\npass_mark:\n  total: 60\n"
                                     "  dimensions: {apology: -5}\n", r":6:\d+: 单项最低分 pass_mark.dimensions.apology"),
    "no attempts": ("id: mine\ntitle: t\nscenarios: [lost-parcel]\npass_mark: {total: 60}\nattempts: 0\n",
                    r":5:11: 允许次数 attempts 是 0"),
    "both lists": ("id: mine\ntitle: t\nscenarios: [lost-parcel]\ndraw: [{count: 1}]\npass_mark: {total: 60}\n",
                   r"必须给一个，且只能给一个"),
    "impossible draw": ("id: mine\ntitle: t\ndraw:\n  - count: 5\n    category: buyer\npass_mark: {total: 60}\n",
                        r":4:\d+: draw\[0\] 要抽 5 个场景，符合条件的只有 1 个"),
    "zero time limit": ("id: mine\ntitle: t\nscenarios: [lost-parcel]\npass_mark: {total: 60}\n"
                        "time_limit: {reply_seconds: 0}\n", r"每句回复的时限"),
    "unknown key": ("id: mine\ntitle: t\nscenarios: [lost-parcel]\npass_mark: {total: 60, pass: 1}\n",
                    r":4:\d+: pass_mark 里没有字段“pass”"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_exams_are_lint_errors_with_positions(tmp_path, capsys, case):
    text, pattern = BAD[case]
    folder = _exam_folder(tmp_path, text)
    result = kefu(capsys, "lint", str(folder))
    assert result.code == 1, result.out
    assert re.search(re.escape(str(folder / "exams" / "mine.yaml")) + ".*" + pattern, result.out), result.out
    # The same exam stops `kefu exam run` before any attempt starts.
    with pytest.raises(ContentError):
        load_exam_library([folder])
    run = kefu(capsys, "--content", str(folder), "exam", "run", "mine", "--trainee", "张三", "--replies", "x")
    assert run.code == 1 and "mine.yaml" in run.err and "Traceback" not in run.err


def test_a_trainer_exam_with_draws_plans_by_seed(tmp_path, capsys, library):
    folder = _exam_folder(tmp_path, "id: mine\ntitle: 抽题考试\ndraw:\n  - count: 2\n    category: logistics\n"
                                    "  - count: 1\n    min_difficulty: 4\npass_mark: {total: 60}\nattempts: 3\n")
    assert kefu(capsys, "lint", str(folder)).code == 0
    lib, exams = load_exam_library([folder])
    exam = exams.exams["mine"]
    plans = {tuple(plan(exam, lib.scenarios, seed)) for seed in range(40)}
    assert len(plans) > 1  # different attempts meet different cases
    for chosen in plans:
        assert len(chosen) == 3 and len(set(chosen)) == 3
        assert all(lib.scenarios[s].category == "logistics" for s in chosen[:2])
        assert lib.scenarios[chosen[2]].difficulty >= 4
    assert plan(exam, lib.scenarios, 7) == plan(exam, lib.scenarios, 7)


def test_session_seeds_differ_between_attempts_and_positions():
    seeds = {session_seed(attempt, position) for attempt in range(20) for position in range(3)}
    assert len(seeds) > 50
    assert session_seed(3, 1) == session_seed(3, 1)


def test_a_trainer_exam_replaces_the_built_in_one_by_id(tmp_path):
    folder = tmp_path / "content"
    (folder / "exams").mkdir(parents=True)
    src = (builtin_root() / "exams" / f"{EXAM}.yaml").read_text(encoding="utf-8")
    (folder / "exams" / "copy.yaml").write_text(src.replace("attempts: 2", "attempts: 5"), encoding="utf-8")
    _, exams = load_exam_library([folder])
    assert exams.exams[EXAM].attempts == 5
    shutil.rmtree(folder)
