"""Issue 17 §2: the case says what would fit — calendar, needed_by, attributes — and lint checks them."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.cli import main
from simulator.content.library import load_library
from simulator.content.paths import builtin_root

WIG = builtin_root() / "scenarios" / "wig-wrong-color.yaml"


def _lint(tmp_path: Path, capsys, old: str, new: str) -> tuple[int, str, Path]:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    path = folder / "wig-fit.yaml"
    text = WIG.read_text(encoding="utf-8").replace("id: wig-wrong-color", "id: wig-fit")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    code = main(["lint", str(tmp_path)])
    return code, capsys.readouterr().out, path


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_every_builtin_case_has_a_calendar_and_its_fields_load():
    library = load_library(include_env=False)
    for case in library.scenarios.values():
        assert case.calendar is not None, case.id
    wig = library.scenarios["wig-wrong-color"]
    assert wig.wish.needed_by == "2026-11-27" and wig.wish.attributes == ["深棕色", "中长卷发"]
    assert library.scenarios["late-delivery-business-loss"].wish.demand_yuan == 3000


def test_needed_by_before_the_calendar_is_an_error_with_its_line(tmp_path, capsys):
    code, out, path = _lint(tmp_path, capsys, "  needed_by: 2026-11-27\n", "  needed_by: 2026-11-01\n")
    assert code == 1
    assert f"{path}:{_line_of(path, 'needed_by: 2026-11-01')}:" in out
    assert "needed_by（2026-11-01）早于案例的 calendar（2026-11-19 10:00）" in out


def test_a_weekday_that_does_not_fit_the_date_is_an_error(tmp_path, capsys):
    code, out, _ = _lint(tmp_path, capsys, "weekday: 周四}", "weekday: 周五}")
    assert code == 1 and "calendar.weekday 写的是“周五”，但 2026-11-19 是周四" in out


def test_needed_by_without_a_calendar_is_an_error(tmp_path, capsys):
    code, out, _ = _lint(tmp_path, capsys, "calendar: {date: '2026-11-19', time: '10:00', weekday: 周四}", "")
    assert code == 1 and "写了 needed_by 却没有 calendar" in out


def test_an_attribute_the_case_never_mentions_is_a_warning(tmp_path, capsys):
    code, out, _ = _lint(tmp_path, capsys, "  attributes: [深棕色, 中长卷发]\n", "  attributes: [紫色]\n")
    assert code == 0 and "警告：attributes 里的“紫色”在案例的概要、事实、问题和开场白里都没有出现" in out


@pytest.mark.parametrize("bad", ["'2026-13-40'", "下周六"])
def test_a_needed_by_that_is_no_date_is_an_error(tmp_path, capsys, bad):
    code, out, _ = _lint(tmp_path, capsys, "  needed_by: 2026-11-27\n", f"  needed_by: {bad}\n")
    assert code == 1 and "needed_by 写得不对" in out


def test_a_real_loss_above_the_demand_is_an_error_with_its_line(tmp_path, capsys):
    """least_yuan (issue 17 §2/§3: the money that makes up the loss) can never exceed what the customer asks for."""
    code, out, path = _lint(tmp_path, capsys, "  needed_by: 2026-11-27\n",
                            "  needed_by: 2026-11-27\n  demand_yuan: 50\n  least_yuan: 80\n")
    assert code == 1
    assert f"{path}:{_line_of(path, 'least_yuan: 80')}:" in out
    assert "least_yuan（80元）比顾客要的 demand_yuan（50元）还多" in out


def test_the_builtin_cases_say_the_real_loss_and_what_the_customer_cannot_provide():
    library = load_library(include_env=False)
    assert library.scenarios["hotel-sea-view"].wish.least_yuan == 800  # 房型差价 160元 × 5晚
    assert library.scenarios["computer-crash-loss"].wish.cannot_provide == ["内存条"]
