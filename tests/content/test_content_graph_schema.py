"""`kefu graph` (Mermaid), `kefu schema` (shipped JSON Schemas never stale) and the guide's example."""

from __future__ import annotations

import json
from pathlib import Path

from simulator.cli import main
from simulator.content.schema import SCHEMA_DIR, SCHEMAS, render

from content_helpers import FIXTURES

GRUMPY_GRAPH = """\
---
title: grumpy — 暴躁型客户
---
stateDiagram-v2
    %% 条件（!name 表示“不满足”）：
    %%   calm：心情 ≤ mood.calm：顾客平静下来，听得进去
    %%   accepted_remedy：回复给出了 wish.accepts 里的补救方式
    %%   issue_left：至少还有一个问题没回应
    %%   furious：心情 ≥ mood.escalate：要投诉、差评、找经理
    venting : venting (情绪激动)
    listening : listening (愿意沟通)
    resolved : resolved (已解决)
    escalated : escalated (要投诉)
    gone : gone (已离开)
    [*] --> venting
    venting --> listening : 回复后 [calm]
    listening --> resolved : 回复后 [accepted_remedy, !issue_left]
    venting --> escalated : 回复后 [furious]
    listening --> escalated : 回复后 [furious]
    venting --> gone : 超时
    listening --> gone : 超时
    resolved --> [*]
    note right of resolved : 结局 问题解决
    escalated --> [*]
    note right of escalated : 结局 投诉升级（投诉、差评、找经理）
    gone --> [*]
    note right of gone : 结局 顾客离开（等不及或聊不下去）
"""


def test_graph_of_a_persona(capsys) -> None:
    assert main(["graph", "grumpy", "--content", str(FIXTURES / "good")]) == 0
    assert capsys.readouterr().out == GRUMPY_GRAPH


def test_graph_of_a_scenario_draws_its_persona(capsys) -> None:
    assert main(["graph", "parcel-missing", "--content", str(FIXTURES / "good")]) == 0
    assert capsys.readouterr().out == GRUMPY_GRAPH


def test_graph_of_an_unknown_id_lists_the_ids(capsys) -> None:
    assert main(["graph", "nobody", "--content", str(FIXTURES / "good")]) == 2
    err = capsys.readouterr().err
    assert "kefu graph：没有 id 为“nobody”的顾客类型或案例" in err
    assert "grumpy" in err and "parcel-missing" in err


def test_shipped_schemas_are_up_to_date() -> None:
    for name, model in SCHEMAS.items():
        shipped = (SCHEMA_DIR / name).read_text(encoding="utf-8")
        assert shipped == render(model), f"{name} is stale: run `kefu schema --out simulator/content/schemas`"


def test_schema_out_writes_both_files(tmp_path: Path, capsys) -> None:
    assert main(["schema", "--out", str(tmp_path / "schemas")]) == 0
    scenario = json.loads((tmp_path / "schemas" / "scenario.schema.json").read_text(encoding="utf-8"))
    persona = json.loads((tmp_path / "schemas" / "persona.schema.json").read_text(encoding="utf-8"))
    assert scenario["title"] == "Scenario" and scenario["additionalProperties"] is False
    assert scenario["properties"]["category"]["enum"] == ["product", "service", "logistics", "buyer"]
    assert scenario["properties"]["persona"]["description"] == "扮演顾客的顾客类型的 id。"
    assert persona["description"].startswith("顾客类型：")
    assert "已写好" in capsys.readouterr().out


def test_schema_without_out_prints_both(capsys) -> None:
    assert main(["schema"]) == 0
    both = json.loads(capsys.readouterr().out)
    assert set(both) == {"persona", "scenario"}


def test_the_annotated_scenario_in_the_guide_is_valid(tmp_path: Path) -> None:
    from simulator.content.loader import load_file

    guide = (Path(__file__).parents[2] / "docs" / "authoring.md").read_text(encoding="utf-8")
    start = guide.index("```yaml\n# yaml-language-server: $schema=../../../simulator/content/schemas/scenario") + len("```yaml\n")
    block = guide[start:guide.index("\n```", start)]
    path = tmp_path / "scenarios" / "annotated.yaml"
    path.parent.mkdir()
    path.write_text(block, encoding="utf-8")
    loaded = load_file(path)
    assert loaded.ok, [str(p) for p in loaded.problems]
