"""Help: the keys, and the five steps of complaint handling (seed 001) as a short card."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.markup import escape
from textual.widgets import Static

from simulator.tui.text import display_text
from simulator.tui.widgets.cjk_text import CJKStatic

KEYS = """\
[b]按键[/b]
  Enter            发送回复（聊天）/ 开始练习（场景列表）
  Shift+Enter、Ctrl+J  回复里换行
  F2 / Ctrl+T      打开或关闭辅导（练习模式）
  F3 / Ctrl+R      快捷回复
  F4               跳过顾客的“正在输入…”
  Ctrl+E           结束对话（先确认：Y 结束，N 继续聊），查看成绩
  F1               帮助      Ctrl+P  命令面板（切换主题等）
  成绩页：R 重来  N 下一个场景  S 保存记录  Esc 返回列表
  Ctrl+Q           退出（Ctrl+C 连按两次也可以）"""

# No spaces inside the Chinese lines: Textual wraps only at spaces.
FIVE_STEPS = """\
[b]投诉处理五步[/b]（001 售后服务技巧和流程）
①[b]接受投诉[/b]：迅速处理，不拖延；不说“请等一下”。
②[b]平息怨气[/b]：先别解释，婉转致歉、安抚情绪：“很抱歉，这件事我们处理得不够周全，给您添麻烦了。”
③[b]澄清问题[/b]：开放式提问让顾客讲清经过，再用“……，是吗？”确认症结。
④[b]协商解决[/b]：先了解顾客希望的方案，再用商量的口吻提出：“您看这样解决还满意吗？”
⑤[b]感谢客户[/b]：三句话结束——再次致歉；感谢信任和惠顾；表示会改进工作。
[b]黄金30秒[/b]（003）：30秒内回复；快捷回复一次对话不超过3个，其余手打。"""


class HelpScreen(ModalScreen[None]):
    """Keys and the five steps (practice); keys only in exam mode. Any of Esc, F1, q closes it."""

    BINDINGS = [Binding("escape,f1,q,question_mark", "dismiss", "关闭")]

    def __init__(self, exam: bool = False, paused: bool = False, policy: str = "") -> None:
        """exam: keys only, no advice. paused: the chat's response clock stopped while this is open.
        policy: the chat's shop rule in words (practice mode), shown first."""
        super().__init__()
        self.exam = exam
        self.paused = paused
        self.policy = "" if exam else policy

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            if self.paused:
                yield Static("[b]⏸ 计时已暂停[/b]，关闭帮助后继续计时。", id="help-paused")
            elif self.exam:
                yield Static("[b]考试模式[/b]：只有按键说明，计时不会暂停。", id="help-exam")
            if self.policy:
                yield CJKStatic(f"[b]本场店铺政策[/b]\n{escape(display_text(self.policy))}", id="help-policy")
            yield CJKStatic(KEYS, id="help-keys")
            if not self.exam:
                yield CJKStatic(FIVE_STEPS, id="help-steps")
            yield Static("[dim]Esc 关闭[/]")
