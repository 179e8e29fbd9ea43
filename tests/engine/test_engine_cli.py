"""`kefu run` and `kefu check` through simulator.cli.main, as a trainer would use them."""

from __future__ import annotations

import re

import io
import json
from pathlib import Path

import pytest

from simulator.cli import main
from engine_helpers import FIXTURES

REPLIES = """\
# the model handling of the wig case (000)
非常抱歉让您失望了，我完全理解您的心情，颜色发错和晚到三天确实是我们的问题。

[+45s] 能具体说说您收到的假发是什么情况吗？
颜色是我们仓库发错了，我们24小时内给您补发深棕色的；晚到三天给您一张30元代金券表示歉意，您看可以吗？
再次向您道歉，感谢您的理解和信任，我们会跟进物流，有进展第一时间通知您，也会改进发货核对。
"""


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def replies_file(tmp_path: Path) -> Path:
    path = tmp_path / "replies.txt"
    path.write_text(REPLIES, encoding="utf-8")
    return path


def test_run_prints_one_json_document(capsys, replies_file):
    code, out, err = _run(capsys, "run", "engine-wig", "--replies", str(replies_file), "--content", str(FIXTURES))
    assert code == 0, err
    doc = json.loads(out)
    assert list(doc) == ["scenario", "seed", "outcome", "outcome_label", "policy_breach", "turns", "scorecard"]
    assert doc["outcome_label"] == "问题解决"  # issue 21 §3: names come with their Chinese words
    assert doc["scenario"] == "engine-wig" and doc["seed"] == 0
    assert doc["outcome"] == "resolved" and doc["policy_breach"] is False
    trainee = [t for t in doc["turns"] if t["role"] == "trainee"]
    assert [t["seconds"] for t in trainee] == [15, 45, 15, 15]
    assert all(set(t) == {"role", "text", "mood", "state", "state_label"} for t in doc["turns"] if t["role"] == "customer")
    assert {t["state"]: t["state_label"] for t in doc["turns"]}["listening"] == "愿意沟通"
    assert any(t["text"] in ("人呢？", "在吗？还有人吗？", "怎么不说话了？") for t in doc["turns"])  # the nudge at 30 s
    assert "total" in doc["scorecard"]
    assert "人呢" in out or "在吗" in out or "怎么不说话" in out  # ensure_ascii=False: Chinese as is


def test_run_is_byte_identical_and_seed_matters(capsys, replies_file):
    args = ["run", "engine-wig", "--replies", str(replies_file), "--content", str(FIXTURES), "--seed", "3"]
    first = _run(capsys, *args)[1]
    second = _run(capsys, *args)[1]
    assert first == second
    others = {_run(capsys, *args[:-1], str(seed))[1] for seed in range(4, 9)}
    assert len(others | {first}) > 1


def test_run_reads_stdin(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(REPLIES))
    code, out, _ = _run(capsys, "run", "engine-wig", "--replies", "-", "--content", str(FIXTURES))
    assert code == 0 and json.loads(out)["outcome"] == "resolved"


def test_run_unknown_scenario_lists_the_ids(capsys, replies_file):
    code, out, err = _run(capsys, "run", "no-such-case", "--replies", str(replies_file), "--content", str(FIXTURES))
    assert code == 2 and out == ""
    assert "no-such-case" in err and "engine-wig" in err and "Traceback" not in err


def test_run_missing_replies_file(capsys, tmp_path):
    code, _, err = _run(capsys, "run", "engine-wig", "--replies", str(tmp_path / "nope.txt"), "--content", str(FIXTURES))
    assert code == 2 and "nope.txt" in err and "Traceback" not in err


def _path_line_col(err: str, name: str) -> None:
    line = next(l for l in err.splitlines() if f"{name}:" in l)
    path_line_col = line.strip().split(": ")[0]
    assert path_line_col.rsplit(":", 2)[1].isdigit() and path_line_col.rsplit(":", 2)[2].isdigit()


def test_run_an_unrelated_broken_file_is_a_warning_with_path_line_col(capsys, tmp_path, replies_file):
    # Issue 10: a broken file the scenario does not need must not block `kefu run`.
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "broken.yaml").write_text("id: broken\ntitle: x\ncategory: nonsense\n", encoding="utf-8")
    args = ["--replies", str(replies_file), "--content", str(FIXTURES), "--content", str(tmp_path)]
    code, out, err = _run(capsys, "run", "engine-wig", *args)
    assert code == 0, err
    assert json.loads(out)["scenario"] == "engine-wig"
    assert "警告" in err and "broken.yaml:" in err and "Traceback" not in err
    _path_line_col(err, "broken.yaml")


def test_run_a_broken_file_of_the_scenario_itself_stops_it(capsys, tmp_path, replies_file):
    # A trainer's broken override must not silently fall back to the working version.
    (tmp_path / "scenarios").mkdir()
    text = (FIXTURES / "scenarios" / "engine-wig.yaml").read_text(encoding="utf-8")
    (tmp_path / "scenarios" / "my-copy.yaml").write_text(text + "\nnonsense_key: 1\n", encoding="utf-8")
    args = ["--replies", str(replies_file), "--content", str(FIXTURES), "--content", str(tmp_path)]
    code, out, err = _run(capsys, "run", "engine-wig", *args)
    assert code == 1 and out == ""
    assert "my-copy.yaml:" in err and "nonsense_key" in err and "Traceback" not in err
    _path_line_col(err, "my-copy.yaml")


def test_check_passes_the_fixture_examples(capsys):
    code, out, _ = _run(capsys, "check", str(FIXTURES))
    assert code == 0, out
    assert "通过 engine-wig::model-handling" in out
    assert out.strip().splitlines()[-1] == "6 个通过，0 个失败"


def test_check_reports_the_first_differing_turn(capsys, tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    text = (FIXTURES / "scenarios" / "engine-wig.yaml").read_text(encoding="utf-8")
    text = text.replace("id: engine-wig", "id: engine-wig-wrong").replace("outcome: resolved", "outcome: escalated")
    text = text.replace("    policy_breach: false", "    policy_breach: false\n    states: [listening, closing]")
    (folder / "engine-wig-wrong.yaml").write_text(text, encoding="utf-8")
    code, out, _ = _run(capsys, "check", str(tmp_path), "-v")
    assert code == 1
    lines = out.splitlines()
    path = folder / "engine-wig-wrong.yaml"
    example_line = path.read_text(encoding="utf-8").splitlines().index("  - name: model-handling") + 1
    # Issue 21 §2: a failing example points at its own line.
    assert lines[0] == f"失败 engine-wig-wrong::model-handling（{path}:{example_line}）："
    # The reply where it diverged, with the state and mood it led to.
    assert lines[1].startswith("  - 从第 2 条回复开始不一样：期望这条回复之后状态是 closing，实际是：第 2 条回复「能具体说说")
    assert re.search(r"→ 状态 listening（愿意沟通），心情 \d+$", lines[1])
    assert lines[2].startswith("  - 期望结局 escalated，实际是 resolved：最后一条是第 4 条回复，之后状态 resolved，心情 ")
    assert "    第 4 条回复「再次向您道歉" in out  # -v prints the whole walk
    assert out.strip().splitlines()[-1] == "0 个通过，1 个失败"


def test_check_missing_path(capsys, tmp_path):
    code, _, err = _run(capsys, "check", str(tmp_path / "nope"))
    assert code == 2 and "nope" in err


def test_run_persona_with_unknown_predicate_is_a_clear_error(capsys, tmp_path, replies_file):
    (tmp_path / "personas").mkdir()
    persona = (Path(__file__).parents[2] / "personas" / "disappointed.yaml").read_text(encoding="utf-8")
    persona = persona.replace("conditions: [lost_patience]", "conditions: [lost_patiense]", 1)
    (tmp_path / "personas" / "disappointed.yaml").write_text(persona, encoding="utf-8")
    args = ["--replies", str(replies_file), "--content", str(FIXTURES), "--content", str(tmp_path)]
    code, out, err = _run(capsys, "run", "engine-wig", *args)
    assert code == 1 and out == ""
    assert "disappointed.yaml" in err and "“lost_patiense”" in err and "lost_patience" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "scenario_id,content,seed",
    [("engine-wig", True, "11"), ("wig-wrong-color", False, "0"), ("wig-wrong-color", False, "7")],
)
def test_run_is_identical_across_processes(replies_file, scenario_id, content, seed):
    """Nothing depends on hash order or the time: two processes with different hash seeds agree byte for byte
    (a fixture case and the built-in wig-wrong-color with its own content only, at two seeds)."""
    import os
    import subprocess
    import sys

    extra = ["--content", str(FIXTURES)] if content else []
    outputs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        env.pop("KEFU_CONTENT", None)
        done = subprocess.run(
            [sys.executable, "-m", "simulator", "run", scenario_id, "--replies", str(replies_file), *extra,
             "--seed", seed],
            capture_output=True, env=env, timeout=120, check=True,
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and outputs[0]
    assert json.loads(outputs[0])["scenario"] == scenario_id
