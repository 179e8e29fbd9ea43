"""`kefu run` needs only its scenario and persona (simulator.content.selection)."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.content.problems import ContentError
from simulator.content.selection import load_scenario

ROOT = Path(__file__).resolve().parents[2]


def _folder(tmp_path: Path, kind: str, name: str, text: str) -> Path:
    (tmp_path / kind).mkdir(parents=True, exist_ok=True)
    (tmp_path / kind / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_unrelated_errors_are_warnings(tmp_path):
    folder = _folder(tmp_path, "scenarios", "other.yaml", "id: other\ntitle: [\n")
    found = load_scenario("wig-wrong-color", [folder], include_env=False)
    assert found.scenario is not None and found.scenario.id == "wig-wrong-color"
    assert found.persona is not None and found.persona.id == found.scenario.persona
    assert [p.path.name for p in found.warnings] == ["other.yaml"]


def test_a_broken_override_of_the_persona_stops_the_scenario(tmp_path):
    persona = (ROOT / "personas" / "disappointed.yaml").read_text(encoding="utf-8")
    folder = _folder(tmp_path, "personas", "mine.yaml", persona.replace("machine:", "machin:", 1))
    with pytest.raises(ContentError) as info:
        load_scenario("wig-wrong-color", [folder], include_env=False)
    assert {p.path.name for p in info.value.problems} == {"mine.yaml"}


def test_a_file_that_does_not_even_parse_counts_by_its_name(tmp_path):
    folder = _folder(tmp_path, "scenarios", "wig-wrong-color.yaml", "id: [\n")
    with pytest.raises(ContentError) as info:
        load_scenario("wig-wrong-color", [folder], include_env=False)
    assert {p.path.name for p in info.value.problems} == {"wig-wrong-color.yaml"}


def test_an_unknown_scenario_is_none(tmp_path):
    found = load_scenario("no-such-case", include_env=False)
    assert found.scenario is None and found.persona is None


def test_a_missing_content_folder_is_still_an_error(tmp_path):
    with pytest.raises(ContentError):
        load_scenario("wig-wrong-color", [tmp_path / "nope"], include_env=False)
