"""customer_gender and pronouns: the field's default, and lint's warnings for contradictions."""

from __future__ import annotations

from pathlib import Path

from simulator.cli import main
from simulator.content.library import load_library
from simulator.content.paths import builtin_root
from simulator.content.pronouns import gender_from_name


def copy_case(tmp_path: Path, scenario_edit=lambda s: s, persona_edit=lambda s: s) -> Path:
    """broken-ceramic (何女士) and its persona in a content folder of their own, edited."""
    root = builtin_root()
    (tmp_path / "personas").mkdir()
    (tmp_path / "scenarios").mkdir()
    persona = (root / "personas" / "disappointed.yaml").read_text(encoding="utf-8")
    scenario = (root / "scenarios" / "broken-ceramic.yaml").read_text(encoding="utf-8")
    (tmp_path / "personas" / "disappointed.yaml").write_text(persona_edit(persona), encoding="utf-8")
    (tmp_path / "scenarios" / "broken-ceramic.yaml").write_text(scenario_edit(scenario), encoding="utf-8")
    return tmp_path


def lint(capsys, folder: Path) -> str:
    main(["lint", str(folder)])
    return capsys.readouterr().out


def test_names_with_a_title_say_the_sex():
    assert gender_from_name("何女士") == "female" and gender_from_name("小美妈妈") == "female"
    assert gender_from_name("周先生") == "male"
    assert gender_from_name("吴总") is None and gender_from_name("暴躁的小鹿") is None


def test_pronoun_comes_from_the_field_and_defaults_to_none():
    lib = load_library(include_env=False)
    assert lib.scenarios["broken-ceramic"].customer_pronoun == "她"
    assert lib.scenarios["hotel-sea-view"].customer_pronoun == "他"
    assert lib.scenarios["computer-crash-loss"].customer_gender == "unknown"
    assert lib.scenarios["computer-crash-loss"].customer_pronoun == "对方"


def test_builtin_content_has_no_pronoun_warnings(capsys):
    out = lint(capsys, builtin_root())
    assert "称呼顾客" not in out and "customer_gender 写的是" not in out


def test_gender_contradicting_the_name_is_a_warning(capsys, tmp_path):
    folder = copy_case(tmp_path, lambda s: s.replace("customer_gender: female", "customer_gender: male"))
    out = lint(capsys, folder)
    assert "警告：customer_gender 写的是 male（男性），但顾客称呼“何女士”是女性" in out
    assert "broken-ceramic.yaml:10:" in out  # the customer_gender line


def test_summary_calling_a_woman_he_is_a_warning(capsys, tmp_path):
    folder = copy_case(tmp_path, lambda s: s.replace("customer_gender: female\n", "").replace("她", "他"))
    out = lint(capsys, folder)
    assert "这里用“他”称呼顾客，但何女士是女性" in out and "请写“她”" in out


def test_persona_text_calling_何女士_he_is_a_warning(capsys, tmp_path):
    folder = copy_case(tmp_path, persona_edit=lambda s: s.replace("落差让顾客失望", "落差让他失望"))
    out = lint(capsys, folder)
    assert "disappointed.yaml:" in out
    assert "description 用“他”称呼顾客，但这个顾客类型也用在 broken-ceramic（何女士）" in out
