"""All the content in use: built-in personas and scenarios plus a trainer's folders, by id.

Folders are read in order — the built-ins, then each folder of `$KEFU_CONTENT` (separated by
`os.pathsep`), then each `extra_dirs` folder (`kefu --content DIR`) — and a later file replaces an
earlier one with the same id. A content folder holds `personas/*.yaml` and `scenarios/*.yaml`;
files in scenarios/ whose name starts with `_` are shared content (`_quick_replies.yaml`).
A folder of YAML files without those subfolders works too: each file's kind comes from its
folder's name, else from its keys.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from simulator.content.checks import engine_problems
from simulator.content.ids import id_problem
from simulator.content.loader import YAML_SUFFIXES, Kind, LoadedFile, kind_from_folder, load_file
from simulator.content.models import Persona, QuickReplies, QuickReply, Scenario
from simulator.content.paths import builtin_root
from simulator.content.problems import ContentError, Problem, sorted_problems
from simulator.i18n import _

__all__ = ["ContentError", "Library", "Problem", "QuickReply", "content_roots", "load_library", "ENV_VAR"]

ENV_VAR = "KEFU_CONTENT"


@dataclass
class Library:
    """The personas, scenarios and quick replies in use, with where each came from."""

    personas: dict[str, Persona] = field(default_factory=dict)
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    quick_replies: list[QuickReply] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[LoadedFile] = field(default_factory=list)
    """Every file read, in reading order (overridden ones included)."""
    persona_files: dict[str, LoadedFile] = field(default_factory=dict)
    scenario_files: dict[str, LoadedFile] = field(default_factory=dict)

    def source_of(self, id: str) -> Path:  # noqa: A002 - the domain word
        """The file a scenario (or, failing that, a persona) with this id was read from."""
        loaded = self.scenario_files.get(id) or self.persona_files.get(id)
        if loaded is None:
            raise KeyError(_("没有 id 为“{id}”的案例或顾客类型").format(id=id))
        return loaded.path

    def persona_of(self, scenario_id: str) -> Persona:
        """The persona playing the customer of a scenario."""
        return self.personas[self.scenarios[scenario_id].persona]

    @property
    def errors(self) -> list[Problem]:
        """The problems of error severity."""
        return [p for p in self.problems if p.is_error]


def env_dirs() -> list[Path]:
    """The folders listed in $KEFU_CONTENT."""
    value = os.environ.get(ENV_VAR, "")
    return [Path(part) for part in value.split(os.pathsep) if part.strip()]


def content_roots(extra_dirs: Iterable[Path] = (), *, include_env: bool = True) -> list[Path]:
    """Content folders in reading order: built-ins, then $KEFU_CONTENT, then `extra_dirs`."""
    roots = [builtin_root()]
    if include_env:
        roots += env_dirs()
    roots += [Path(d) for d in extra_dirs]
    return roots


def load_library(
    extra_dirs: Sequence[Path] = (), *, include_env: bool = True, strict: bool = True
) -> Library:
    """Load all content in use.

    Raises ContentError when a content folder does not exist, and (when `strict`, the default)
    when any file has an error; with strict=False the library holds what loaded, and its
    `problems` say what did not.
    """
    roots = content_roots(extra_dirs, include_env=include_env)
    missing = missing_roots(roots)
    if missing:
        raise ContentError(missing)
    library = load_roots(roots)
    if strict and library.errors:
        raise ContentError(library.problems)
    return library


def missing_roots(roots: Iterable[Path]) -> list[Problem]:
    """A problem for each content folder that does not exist."""
    return [
        Problem(root, 0, 0, _("内容文件夹“{root}”不存在（来自 --content 或 ${env}）；请检查路径").format(
            root=root, env=ENV_VAR))
        for root in roots
        if not Path(root).exists()
    ]


def content_files(root: Path) -> list[tuple[Path, Kind | None]]:
    """The YAML files of a content folder (or the file itself), each with the kind its place says."""
    root = Path(root)
    if root.name == "exams" or root.parent.name == "exams":
        return []  # exams are read by simulator.content.exams, after the scenarios they name
    if root.is_file():
        return [(root, kind_from_folder(root))]
    out: list[tuple[Path, Kind | None]] = []
    subfolders = [(root / "personas", "persona"), (root / "scenarios", "scenario")]
    if any(folder.is_dir() for folder, _ in subfolders):
        for folder, kind in subfolders:
            for path in _yaml_files(folder):
                out.append((path, "shared" if path.name.startswith("_") else kind))  # type: ignore[arg-type]
        return out
    return [(path, kind_from_folder(path)) for path in _yaml_files(root)
            if "exams" not in path.relative_to(root).parts[:-1]]


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    files = [
        p for p in folder.rglob("*")
        if p.suffix.lower() in YAML_SUFFIXES and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]
    return sorted(files)


def load_roots(roots: Iterable[Path]) -> Library:
    """Read every content folder or file in order (later ids replace earlier ones); never raises."""
    library = Library()
    seen: set[Path] = set()
    labels: dict[str, QuickReply] = {}
    for root in roots:
        in_this_root: dict[tuple[str, str], LoadedFile] = {}
        for path, kind in content_files(Path(root)):
            real = path.resolve()
            if real in seen:
                continue
            seen.add(real)
            loaded = load_file(path, kind)
            library.files.append(loaded)
            library.problems.extend(loaded.problems)
            model = loaded.model
            if isinstance(model, QuickReplies):
                for reply in model.quick_replies:
                    labels[reply.label] = reply
                continue
            if not isinstance(model, (Persona, Scenario)):
                continue
            kind_name = "persona" if isinstance(model, Persona) else "scenario"
            bad_id = id_problem(loaded, model.id, _("顾客类型（persona）") if kind_name == "persona" else _("案例（scenario）"))
            if bad_id is not None:
                library.problems.append(bad_id)
                continue
            first = in_this_root.get((kind_name, model.id))
            if first is not None:
                line, _col = first.position("id")
                library.problems.append(
                    loaded.problem(
                        ("id",),
                        _("{kind} id“{id}”重复了：{path}:{line} 也用了这个 id（同一个文件夹里 id 不能重复；"
                          "后读的内容文件夹里的同 id 文件会替换先读的）").format(
                            kind=_("顾客类型（persona）") if kind_name == "persona" else _("案例（scenario）"), id=model.id,
                            path=first.path, line=line),
                    )
                )
                continue
            in_this_root[(kind_name, model.id)] = loaded
            if isinstance(model, Persona):
                library.personas[model.id] = model
                library.persona_files[model.id] = loaded
            else:
                library.scenarios[model.id] = model
                library.scenario_files[model.id] = loaded
    library.quick_replies = list(labels.values())
    library.problems.extend(engine_problems(library.files, library.personas))
    library.problems = sorted_problems(library.problems)
    return library
