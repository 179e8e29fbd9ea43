"""`kefu new scenario ID` / `kefu new persona ID`: write a commented starter file that lints clean.

The starters (simulator/content/starters/*.yaml) are complete, playable files with a Chinese
comment on every field: a trainer starts from something that runs and changes it step by step.
A test keeps both lint-clean and `kefu check`-passing.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from simulator.i18n import _

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
    p.add_argument("id", metavar="ID", help=_("新文件的 id：小写字母、数字和连字符，例如 phone-case-cracked"))
    p.add_argument("--dir", default=".", metavar=_("文件夹"), help=_("内容文件夹（默认：当前文件夹）"))
    p.add_argument("--persona", default=None, metavar="ID",
                   help=_("新案例由哪个顾客类型扮演（默认：disappointed）"))


def starter_text(kind: str, ident: str, persona: str | None = None) -> str:
    """The starter file of `kind` with its id (and, for a scenario, its persona) filled in."""
    text = (STARTERS / f"{kind}.yaml").read_text(encoding="utf-8")
    return text.replace("__ID__", ident).replace("__PERSONA__", persona or DEFAULT_PERSONA)


def new_command(kind: str, ident: str, folder: str | Path = ".", persona: str | None = None) -> int:
    """Write `<folder>/<scenarios|personas>/<id>.yaml`; never overwrites. Exit 0, 1 (exists) or 2 (bad id)."""
    if not ID_PATTERN.match(ident):
        print(_("kefu new：id“{id}”不行：只能用小写字母、数字、连字符和下划线，并以字母或数字开头").format(id=ident),
              file=sys.stderr)
        return 2
    target = Path(folder) / FOLDERS[kind] / f"{ident}.yaml"
    if target.exists():
        print(_("kefu new：{path} 已经存在，没有覆盖它；换一个 id 或先移走这个文件").format(path=target), file=sys.stderr)
        return 1
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(starter_text(kind, ident, persona), encoding="utf-8")
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
