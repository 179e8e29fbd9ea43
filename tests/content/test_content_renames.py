"""When a field is renamed, old files still load, lint says what to write instead, --fix rewrites it.

No field has been renamed yet, so the tests install a made-up rename (mood.calm_at -> mood.calm).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.cli import main
from simulator.content import renames
from simulator.content.loader import load_file
from simulator.content.paths import builtin_root


@pytest.fixture
def old_persona(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(renames, "RENAMES", [
        renames.Rename("persona", ("mood", "calm_at"), "calm", since="0.2"),
        renames.Rename("persona", ("machine", "transitions", "*", "when"), "conditions", since="0.2"),
        renames.Rename("persona", ("retired_field",), None, since="0.2", note="心情阈值现在写在 mood 里"),
    ])
    text = (builtin_root() / "personas" / "disappointed.yaml").read_text(encoding="utf-8")
    text = text.replace("id: disappointed", "id: old-style\nretired_field: 3")
    text = text.replace("  calm: 45\n", "  calm_at: 40   # 旧写法\n")
    text = text.replace("conditions: [lost_patience]}", "when: [lost_patience]}")
    path = tmp_path / "personas" / "old-style.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


def _line(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text.count("\n", 0, text.index(needle)) + 1


def test_an_old_field_still_loads_with_its_value(old_persona: Path) -> None:
    loaded = load_file(old_persona)
    assert loaded.ok and loaded.model.mood.calm == 40
    assert loaded.model.machine.transitions[0].conditions == ["lost_patience"]


def test_lint_says_what_to_write_instead(old_persona: Path, capsys) -> None:
    assert main(["lint", str(old_persona)]) == 0  # a warning: the file keeps working
    out = capsys.readouterr().out
    assert (f"{old_persona}:{_line(old_persona, 'calm_at')}:3: 警告：字段“calm_at”已改名为“calm”（kefu 0.2 起）："
            "请写成 `calm: …`（kefu lint --fix 可以自动改）") in out
    assert f"{old_persona}:{_line(old_persona, 'when:')}:" in out
    assert (f"{old_persona}:{_line(old_persona, 'retired_field')}:1: 警告：字段“retired_field”已不再使用（kefu 0.2 起），"
            "它的值会被忽略；请删掉这一项；心情阈值现在写在 mood 里") in out


def test_fix_rewrites_the_keys_and_keeps_comments(old_persona: Path, capsys) -> None:
    calm_line, when_line = _line(old_persona, "calm_at"), _line(old_persona, "when:")
    assert main(["lint", "--fix", str(old_persona)]) == 0
    out = capsys.readouterr().out
    assert f"已修改 {old_persona}:{calm_line}：calm_at → calm" in out
    assert f"已修改 {old_persona}:{when_line}：when → conditions" in out
    text = old_persona.read_text(encoding="utf-8")
    assert "  calm: 40   # 旧写法\n" in text and "conditions: [lost_patience]}" in text
    assert "retired_field: 3" in text  # removing a field is left to the trainer
    assert main(["lint", str(old_persona)]) == 0
    assert "calm_at" not in capsys.readouterr().out
