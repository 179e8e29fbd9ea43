"""The one error the records layer raises: a Chinese message for the user, no traceback."""

from __future__ import annotations


class RecordsError(Exception):
    """Records cannot be read or written; `message` is Chinese and says what to do."""

    def __init__(self, message: str, *, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


class AttemptRefused(RecordsError):
    """An exam attempt may not start now (limit reached, another attempt in progress)."""


def describe_db_error(exc: BaseException, where: str) -> RecordsError:
    """A RecordsError for a database driver error, worded by what the user can do about it."""
    text = str(getattr(exc, "orig", None) or exc)
    low = text.lower()
    if "readonly" in low or "read-only" in low or "read only" in low:
        return RecordsError(f"记录数据库是只读的，无法写入：{where}。请检查文件权限，或用 --db 指定可写的数据库。")
    if "disk is full" in low or "no space" in low or "disk full" in low:
        return RecordsError(f"磁盘已满，无法写入记录数据库：{where}。请腾出空间后重试；已写入的记录不受影响。")
    if "unable to open" in low or "could not connect" in low or "connection refused" in low \
            or "connection to server" in low or "timeout expired" in low or "name or service" in low \
            or "no such host" in low or "could not translate host" in low:
        return RecordsError(f"无法连接记录数据库：{where}（{_short(text)}）。请检查地址（--db 或 KEFU_DB）和服务器是否在运行。")
    if "not a database" in low or "file is encrypted" in low or "malformed" in low:
        return RecordsError(f"这不是 kefu 的记录数据库（文件已损坏或是别的文件）：{where}。")
    if "password authentication" in low or "authentication failed" in low or "permission denied" in low:
        return RecordsError(f"记录数据库拒绝访问：{where}（{_short(text)}）。请检查用户名、密码和权限。")
    if "locked" in low:
        return RecordsError(f"记录数据库正被其他程序长时间占用：{where}。请稍后重试。")
    return RecordsError(f"记录数据库出错：{where}（{_short(text)}）。")


def _short(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else "未知错误"
    return first[:200]
