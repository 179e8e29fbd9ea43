"""A played script: the session and the customer's state after each reply (shared by replay and explain).

Its own module so that engine/explain.py and engine/replay.py form a line (replay -> explain ->
playthrough), not a circle.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.engine.session import Session


@dataclass
class Playthrough:
    """A played script: the session and the customer's state after each reply actually sent."""

    session: Session
    states: list[str]
