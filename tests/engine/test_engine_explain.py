"""A failing example names the reply where it diverged and why (`kefu check`), and -v prints the walk."""

from __future__ import annotations

import re
from pathlib import Path

from simulator.cli import main
from simulator.content.behaviour import current_version

BUILTIN = Path(__file__).parents[2] / "scenarios"


def _case(tmp_path: Path, source: str, new_id: str, edit) -> Path:
    text = (BUILTIN / f"{source}.yaml").read_text(encoding="utf-8").replace(f"id: {source}", f"id: {new_id}")
    path = tmp_path / "scenarios" / f"{new_id}.yaml"
    path.parent.mkdir(exist_ok=True)
    # Written now, for this kefu's behaviour: no upgrade notes (issue 21 §4) between the lines checked here.
    path.write_text(f'kefu_version: "{current_version()}"\n' + edit(text), encoding="utf-8")
    return path


def _check(capsys, *args: str) -> list[str]:
    assert main(["check", *args]) == 1
    return capsys.readouterr().out.splitlines()


def test_a_policy_breach_names_the_reply_and_the_limit(tmp_path: Path, capsys) -> None:
    path = _case(tmp_path, "shipping-fee-dispute", "fee-wrong",
                 lambda t: t.replace("    outcome: resolved\n    policy_breach: true", "    outcome: resolved\n    policy_breach: false"))
    out = _check(capsys, str(path))
    line = path.read_text(encoding="utf-8").splitlines().index("  - name: 顶不住直接全额退款") + 1
    at = out.index(f"失败 fee-wrong::顶不住直接全额退款（{path}:{line}）：")
    assert out[at + 1].startswith("  - 期望不超出权限，但第 2 条回复")
    assert "好吧好吧，那给您全额退款" in out[at + 1] and out[at + 1].endswith("超出权限：本案不允许全额退款")
    assert out[at + 2] == "    （加 -v 看每条回复之后的状态和心情）"
    assert out[-1] == "3 个通过，1 个失败"


def test_an_open_issue_is_named_with_its_keywords(tmp_path: Path, capsys) -> None:
    def one_reply(text: str) -> str:
        return text[: text.index("examples:")] + (
            "examples:\n  - name: 只回应颜色就收尾\n    replies:\n"
            "      - 非常抱歉亲，让您失望了！颜色是我们仓库发错了，我们24小时内给您补发深棕色的，您看可以吗？\n"
            "    outcome: resolved\n")

    path = _case(tmp_path, "wig-wrong-color", "wig-open", one_reply)
    out = _check(capsys, str(tmp_path / "scenarios"))
    assert out[1].startswith(
        "  - 期望结局 resolved，实际是 unfinished：问题 late_delivery（包裹晚到了三天（国际物流清关延迟））还没解决，"
        "回复里要提到它的关键词：晚到、晚了、迟到、迟了、延迟、延误、清关、物流、快递、三天、等了；"
        "最后一条是第 1 条回复，之后状态 listening，心情 "
    ) and out[1].endswith("（calm ≤ 45，escalate ≥ 95）")
    assert path.exists()


def test_verbose_prints_state_and_mood_after_every_reply(tmp_path: Path, capsys) -> None:
    path = _case(tmp_path, "wig-wrong-color", "wig-states",
                 lambda t: t.replace("states: [listening, listening, closing, resolved]", "states: [listening, closing, closing, resolved]"))
    out = _check(capsys, "-v", str(path))
    assert out[1].startswith("  - 从第 2 条回复开始不一样：期望这条回复之后状态是 closing，实际是：第 2 条回复「核实清楚了")
    walk = out[out.index("    对话经过：") + 1:]
    assert walk[0].startswith("      顾客：")  # the customer's lines are in the walk too
    walk = [line for line in walk if line.startswith("    第")]
    # (moods are the engine's arithmetic: only their presence is asserted, the states exactly)
    shown = [re.fullmatch(r"    第 (\d) 条回复「.+」（用时 15 秒）→ 状态 (\w+)（.+），心情 (\d+)", line) for line in walk[:4]]
    assert all(shown) and [(m[1], m[2]) for m in shown] == [
        ("1", "listening"), ("2", "listening"), ("3", "closing"), ("4", "resolved")]
