"""Shared test setup: the suite asserts on the Chinese a user sees, whatever the developer's locale."""

import os

os.environ["KEFU_LANG"] = "zh"  # subprocesses inherit it too
