"""The behaviour changelog (issue 21 §4): which kefu behaviour a content file was written for, and
the documented changes since, each with the Chinese explanation `kefu check` prints.

The entries live in behaviour_changes.yaml beside this module; docs/behaviour-changes.md is
rendered from them (`render_markdown`, `python -m tools.behaviour_changes`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

CHANGELOG = Path(__file__).with_name("behaviour_changes.yaml")


class BehaviourChange(BaseModel):
    """One documented change of how the customer reads replies or reacts."""

    model_config = ConfigDict(extra="forbid")

    id: str
    version: str = Field(description="The kefu behaviour version that brought it.")
    issue: int
    title: str
    explanation: str = Field(description="What changed, in Chinese, as `kefu check` prints it.")
    update: str = Field(description="How to update a file written before it, in Chinese.")
    signs: list[str] = Field(default_factory=list, description="What in a conversation it can change.")

    @field_validator("explanation", "update")
    @classmethod
    def _joined(cls, text: str) -> str:
        # YAML folds a long line with a space; Chinese has none between characters.
        return _FOLD_SPACE.sub("", text).strip()


_FOLD_SPACE = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")


class Changelog(BaseModel):
    """The whole changelog: the current behaviour version, the one before it, and every change."""

    model_config = ConfigDict(extra="forbid")

    current: str
    previous: str
    changes: list[BehaviourChange]


@lru_cache(maxsize=1)
def changelog() -> Changelog:
    """The shipped changelog (read once)."""
    return Changelog.model_validate(yaml.safe_load(CHANGELOG.read_text(encoding="utf-8")))


def current_version() -> str:
    """The behaviour version `kefu new` writes as `kefu_version`."""
    return changelog().current


def _key(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in version.strip().split("."))
    except ValueError:
        return (0,)


def changes_since(version: str | None) -> list[BehaviourChange]:
    """The changes newer than `version` (a file without `kefu_version` was written for the previous one)."""
    log = changelog()
    written = _key(version or log.previous)
    return [c for c in log.changes if _key(c.version) > written]


def render_markdown() -> str:
    """docs/behaviour-changes.md: every change, newest version first, as trainers read it."""
    log = changelog()
    out = [
        "# 行为变更记录（behaviour changes）",
        "",
        "<!-- Generated from simulator/content/behaviour_changes.yaml by `python -m tools.behaviour_changes`;",
        "     tests/test_behaviour_changes.py keeps the two equal. Edit the YAML, not this file. -->",
        "",
        "kefu 每个版本里顾客怎么读回复、怎么反应的变化。内容文件里的 `kefu_version:` 说明它是按哪个版本写的"
        f"（没写就是 {log.previous}）；升级后 `kefu check` 有示例不通过时，会列出下面可能造成它的条目和改法。",
        "改好、示例都通过之后，把文件的 `kefu_version` 改成 "
        f"`{log.current}`。",
        "",
    ]
    for version in sorted({c.version for c in log.changes}, key=_key, reverse=True):
        out += [f"## {version}", ""]
        for c in (c for c in log.changes if c.version == version):
            signs = "、".join(f"`{s}`" for s in c.signs) if c.signs else "无（只改变台词，不影响结局和状态）"
            out += [
                f"### {c.title}（`{c.id}`，问题 {c.issue}）",
                "",
                c.explanation.strip(),
                "",
                f"- 怎么改：{c.update.strip()}",
                f"- 可能影响的示例：{signs}",
                "",
            ]
    return "\n".join(out).rstrip("\n") + "\n"
