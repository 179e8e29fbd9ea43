"""Content tests never see a trainer's own $KEFU_CONTENT."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_env_content(monkeypatch: pytest.MonkeyPatch) -> None:
    """A trainer's $KEFU_CONTENT must not leak into the tests."""
    monkeypatch.delenv("KEFU_CONTENT", raising=False)
