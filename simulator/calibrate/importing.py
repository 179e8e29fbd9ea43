"""Reading a filled grading sheet: every row checked (file:line, the column, what is allowed, in
Chinese) before anything is recorded — a sheet with a bad cell records nothing.

A row may be left entirely empty (not graded); a row with any grade but no grader is refused.
Several graders grade the same conversation by each filling a row of their own.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.calibrate.sheet import COLUMNS, SCORE_COLUMNS

YES = {"是", "通过", "y", "yes", "pass", "1", "√", "✓"}
NO = {"否", "不通过", "未通过", "n", "no", "fail", "0", "×", "✗"}
MAX_BYTES = 16 * 1024 * 1024


@dataclass
class ReadSheet:
    """What a sheet holds: grades ready to record, problems (file:line messages), rows left empty."""

    grades: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    empty_rows: int = 0

    def summary(self) -> str:
        """What was read, in Chinese (one line per grader)."""
        by_grader = Counter(g["grader"] for g in self.grades)
        lines = [f"读入 {len(self.grades)} 条评分，{len(by_grader)} 位评分人"
                 + (f"；{self.empty_rows} 行没有填写，已跳过" if self.empty_rows else "")]
        lines += [f"  {name}：{count} 段对话" for name, count in sorted(by_grader.items())]
        return "\n".join(lines)


def _score(cell: str) -> int | None | str:
    """The cell as an integer 0-100, None when empty, or the problem (a string)."""
    text = cell.strip().translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return f"不是数字：{cell.strip()!r}"
    if value != int(value) or not 0 <= value <= 100:
        return f"应是 0 到 100 的整数，写的是 {cell.strip()}"
    return int(value)


def read_sheet(path: Path, sessions: dict[tuple[str, str], int]) -> ReadSheet:
    """Check every row of the sheet at `path`; `sessions` maps (attempt id, scenario id) to a
    conversation's id in the records."""
    out = ReadSheet()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        out.problems.append(f"{path}: 无法读取（{exc.strerror or exc}）")
        return out
    if len(raw) > MAX_BYTES:
        out.problems.append(f"{path}: 文件太大（最多 {MAX_BYTES // 1024 // 1024} MB）")
        return out
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("gb18030")  # WPS/Excel on Chinese Windows may save the sheet as GBK
        except UnicodeDecodeError:
            out.problems.append(f"{path}:1: 不是 UTF-8 或 GBK 编码的 CSV 文件")
            return out
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        out.problems.append(f"{path}:1: CSV 格式有误（{exc}）")
        return out
    if header is None:
        out.problems.append(f"{path}:1: 文件是空的；第一行应是表头：{','.join(COLUMNS)}")
        return out
    header = [h.strip() for h in header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        out.problems.append(f"{path}:1: 表头缺少这些列：{'、'.join(missing)}（应为：{','.join(COLUMNS)}）")
        return out
    at = {c: header.index(c) for c in COLUMNS}
    try:
        for cells in reader:
            line = reader.line_num
            _read_row(path, line, cells, at, sessions, out)
    except csv.Error as exc:
        out.problems.append(f"{path}:{reader.line_num}: CSV 格式有误（{exc}）")
    return out


def _read_row(path: Path, line: int, cells: list[str], at: dict[str, int], sessions, out: ReadSheet) -> None:
    def cell(name: str) -> str:
        i = at[name]
        return cells[i].strip() if i < len(cells) else ""

    if not any(c.strip() for c in cells):
        return  # a blank line
    where = f"{path}:{line}"
    graded = [n for n in (*SCORE_COLUMNS, "是否通过", "备注") if cell(n)]
    grader = cell("评分人")
    if not grader:
        if graded:
            out.problems.append(f"{where}: 「评分人」是空的；每行评分都要写评分人的名字")
        else:
            out.empty_rows += 1
        return
    if len(grader) > 200 or any(ord(c) < 32 for c in grader):
        out.problems.append(f"{where}: 「评分人」不合适：最多 200 个字，不能含控制字符")
        return
    key = (cell("考试记录"), cell("场景"))
    session_id = sessions.get(key)
    if session_id is None:
        out.problems.append(f"{where}: 找不到这段对话：考试记录 {key[0] or '（空）'} 的场景 {key[1] or '（空）'}"
                            "（不要改动「考试记录」和「场景」两列）")
        return
    grade: dict[str, Any] = {"session_id": session_id, "grader": grader, "note": cell("备注"), "line": line}
    ok = True
    for column, name in SCORE_COLUMNS.items():
        value = _score(cell(column))
        if isinstance(value, str):
            out.problems.append(f"{where}: 「{column}」{value}")
            ok = False
        elif value is None and column == "总分":
            out.problems.append(f"{where}: 「总分」是空的；应是 0 到 100 的整数")
            ok = False
        else:
            grade[name] = value
    verdict = cell("是否通过").lower()
    if verdict in YES:
        grade["passed"] = True
    elif verdict in NO:
        grade["passed"] = False
    else:
        shown = f"写的是 {cell('是否通过')!r}" if verdict else "是空的"
        out.problems.append(f"{where}: 「是否通过」{shown}；应填 是 或 否")
        ok = False
    if ok:
        out.grades.append(grade)
