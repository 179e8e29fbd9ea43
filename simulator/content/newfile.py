"""`kefu new scenario ID` / `kefu new persona ID`: write a commented starter file that lints clean.

The starters (simulator/content/starters/*.yaml) are complete, playable files with a Chinese
comment on every field: a trainer starts from something that runs and changes it step by step.
A test keeps both lint-clean and `kefu check`-passing.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.i18n import _

if TYPE_CHECKING:  # the content models load only when `kefu new` runs: every command registers it
    from simulator.content.models import Persona

STARTERS = Path(__file__).parent / "starters"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
FOLDERS = {"scenario": "scenarios", "persona": "personas"}
DEFAULT_PERSONA = "disappointed"


def add_new_command(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Register `kefu new` on the command's subparsers."""
    p = sub.add_parser("new", help=_("写一个带注释的新案例或新顾客类型起步文件"),
                       description=_("在“文件夹”/scenarios/ 或 /personas/ 里写一个带中文注释、能直接运行的起步文件，"
                                     "然后用 kefu lint 和 kefu check 检查它。"))
    p.add_argument("kind", choices=sorted(FOLDERS), metavar="scenario|persona", help=_("scenario（案例）或 persona（顾客类型）"))
    p.add_argument("id", metavar="编号", help=_("新文件的 id：小写字母、数字和连字符，例如 phone-case-cracked"))
    p.add_argument("--dir", default=".", metavar=_("文件夹"), help=_("内容文件夹（默认：当前文件夹）"))
    p.add_argument("--persona", default=None, metavar="编号",
                   help=_("新案例由哪个顾客类型扮演（默认：disappointed）"))


# The starter's own lines for the persona's states: the case's words, whatever the states are called.
_FIRST_LINES = ("唉，我本来是想戴着它去参加婚礼的。", "页面上写的明明是深棕色，我是信任你们才买的。")
_MIDDLE_LINES = ("好吧，那你说说这顶假发怎么处理。", "颜色和晚到这两件事，你们打算怎么解决？")
_CLOSING_LINES = ("行，那就按你说的办，别再发错了。",)


def case_lines(persona: Persona | None) -> str:
    """The `lines:` block of a new case: a few lines of its own for every state the persona uses."""
    if persona is None:
        states, initial = ["disappointed", "listening", "closing"], "disappointed"
    else:
        states = [s.name for s in persona.machine.states if s.outcome is None]
        initial = persona.machine.initial
    out = []
    for name in states:
        pool = _FIRST_LINES if name == initial else _CLOSING_LINES if "clos" in name else _MIDDLE_LINES
        out.append(f"  {name}:")
        out += [f"    - {line}" for line in pool]
    return "\n".join(out)


def starter_text(kind: str, ident: str, persona: str | None = None, persona_model: Persona | None = None) -> str:
    """The starter file of `kind` with its id (and, for a scenario, its persona and that persona's states)."""
    from simulator.content.behaviour import current_version

    text = (STARTERS / f"{kind}.yaml").read_text(encoding="utf-8")
    text = text.replace("__ID__", ident).replace("__PERSONA__", persona or DEFAULT_PERSONA)
    text = text.replace("__KEFU_VERSION__", current_version())  # issue 21 §4: the behaviour it is written for
    if kind == "scenario":
        text = text.replace("__LINES__", case_lines(persona_model))
        # Longer than this persona waits for a reply, so the example of a customer who leaves holds for it.
        patience = persona_model.patience.seconds if persona_model is not None else 120
        text = text.replace("__WAIT__", str(int(patience) + 10))
        text = text.replace("__STATES__", "    # 还可以写 states: [...]，核对每条回复之后顾客处在哪个状态（见 kefu graph）\n")
    return text


def _persona(name: str, folder: Path, content_dirs: Sequence[Path]) -> Persona | None:
    """The persona `name` as the new case will see it (built-ins, $KEFU_CONTENT, --content, the folder)."""
    from simulator.content.library import load_library

    library = load_library([*content_dirs, folder] if folder.is_dir() else list(content_dirs), strict=False)
    return library.personas.get(name)


def new_command(kind: str, ident: str, folder: str | Path = ".", persona: str | None = None,
                content_dirs: Sequence[Path] = ()) -> int:
    """Write `<folder>/<scenarios|personas>/<id>.yaml`; never overwrites. Exit 0, 1 (exists) or 2 (bad id)."""
    if not ID_PATTERN.match(ident):
        print(_("kefu new：id“{id}”不行：只能用小写字母、数字、连字符和下划线，并以字母或数字开头").format(id=ident),
              file=sys.stderr)
        return 2
    from simulator.content.library import ContentError

    target = Path(folder) / FOLDERS[kind] / f"{ident}.yaml"
    persona_model = None
    if kind == "scenario":
        try:
            persona_model = _persona(persona or DEFAULT_PERSONA, Path(folder), content_dirs)
        except ContentError as exc:  # a content folder that does not exist
            print(_("kefu new：{error}").format(error=exc), file=sys.stderr)
            return 2
        if persona_model is None:
            print(_("kefu new：没有顾客类型“{persona}”；先用 kefu new persona {persona} 写一个，或用 --persona 选一个已有的"
                    "（kefu lint 列出内容里的全部顾客类型）").format(persona=persona), file=sys.stderr)
            return 2
    if target.exists():
        print(_("kefu new：{path} 已经存在，没有覆盖它；换一个 id 或先移走这个文件").format(path=target), file=sys.stderr)
        return 1
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(starter_text(kind, ident, persona, persona_model), encoding="utf-8")
    except OSError as exc:
        print(_("kefu new：写不了 {path}：{reason}").format(path=target, reason=exc.strerror or exc), file=sys.stderr)
        return 1
    print(_("已写好 {path}").format(path=target))
    if kind == "persona":
        print(_("下一步：kefu lint {path}；再用 kefu new scenario 新案例id --persona {id} 写一个由它扮演的案例，"
                "然后 kefu check").format(path=target, id=ident))
    else:
        print(_("下一步：kefu lint {path}，然后 kefu check {path}").format(path=target))
    return 0
