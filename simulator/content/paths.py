"""Where the built-in content lives: inside the installed package, or at the top of a checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def builtin_root() -> Path:
    """The folder holding the built-in `personas/` and `scenarios/`."""
    installed = Path(str(resources.files("simulator"))) / "builtin"
    if (installed / "scenarios").is_dir():
        return installed
    # Running from a source checkout (or an editable install): content sits beside the package.
    return Path(__file__).resolve().parents[2]
