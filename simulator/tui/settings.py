"""How the practice room runs: seed, typing pauses, coaching, clock and where records are kept."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_RESPONSE_LIMIT = 30.0  # the golden 30 seconds (seed 003 禁区1)
AMBER_SECONDS = 20.0  # the response clock turns amber here


def default_records_dir() -> Path:
    """$KEFU_HOME, else ~/.local/share/kefu."""
    home = os.environ.get("KEFU_HOME")
    return Path(home).expanduser() if home else Path.home() / ".local" / "share" / "kefu"


@dataclass
class Settings:
    """Options of one run of the practice room; tests build their own (ManualClock, tmp records dir)."""

    seed: int | None = None
    """Seed of every conversation; None draws one per conversation (a retry reuses it)."""
    typing: bool = True
    """Show '正在输入…' before each customer line, for a time proportional to its length."""
    coaching: bool = True
    """Practice mode: coaching after each reply (toggle with F2). False in exam mode."""
    exam: bool = False
    """Exam mode: coaching cannot be turned on."""
    clock: Any = None
    """The engine's clock (simulator.engine.clock); None means a new SystemClock per conversation."""
    records_dir: Path = field(default_factory=default_records_dir)
    """Where best scores and saved transcripts go."""
    tick_seconds: float = 0.5
    """How often the response clock is refreshed and session.poll() is called."""
    typing_seconds_per_char: float = 0.05
    """Length of the '正在输入…' pause per character of the customer's line."""
    typing_max_seconds: float = 2.5
    """Longest '正在输入…' pause."""
    cursor_blink: bool = True
    """Blinking cursors in the reply box and filter (off in snapshots)."""
    animations: bool = True
    """Textual animations (off in snapshots)."""
    last_line_seconds: float = 1.5
    """After the customer ends the chat, how long Enter is held back (a reply typed on would skip the last line)."""
    session_factory: Callable[..., Any] | None = None
    """Builds a Session(scenario, persona, seed=, clock=); None means simulator.engine.Session."""

    def pick_seed(self) -> int:
        """The seed for a new conversation."""
        return self.seed if self.seed is not None else random.SystemRandom().randrange(1_000_000)

    def typing_delay(self, text: str) -> float:
        """The '正在输入…' pause before a customer line (0 when typing is off)."""
        if not self.typing:
            return 0.0
        return min(self.typing_max_seconds, 0.4 + self.typing_seconds_per_char * len(text))
