"""Hashes that make a result checkable: content, scorer, and the chain of turns.

Everything is hashed as canonical JSON (sorted keys, no spaces, UTF-8) with SHA-256, so the same
data gives the same hash on every machine and in every bundle.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from typing import Any

SCORER_PACKAGE = "scoring"


def canonical_json(data: Any) -> str:
    """The one text form data is hashed and stored in."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def sha256_text(text: str) -> str:
    """Hex SHA-256 of UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def data_hash(data: Any) -> str:
    """Hex SHA-256 of the canonical JSON of data."""
    return sha256_text(canonical_json(data))


def scenario_content(scenario, persona) -> dict:
    """What a conversation was played with: the scenario and its persona, as plain data."""
    return {"scenario": scenario.model_dump(mode="json"), "persona": persona.model_dump(mode="json")}


@lru_cache(maxsize=1)
def scorer_hash() -> str:
    """Hash of the scorer: every source and data file of the `scoring` package, with its version.

    Two installs with this hash grade every reply the same; a changed rule changes it.
    """
    from simulator import __version__

    digest = hashlib.sha256(f"kefu {__version__}\n".encode())
    root = resources.files(SCORER_PACKAGE)
    for path in sorted(_files(root), key=lambda p: p[0]):
        name, entry = path
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(entry.read_bytes() + b"\0")
    return digest.hexdigest()


def _files(root, prefix: str = ""):
    for entry in root.iterdir():
        name = f"{prefix}{entry.name}"
        if entry.is_dir():
            if entry.name == "__pycache__":
                continue
            yield from _files(entry, name + "/")
        elif entry.name.endswith((".py", ".yaml", ".yml", ".txt", ".json")):
            yield name, entry


def chain_start(attempt_id: str, content_hash: str, scorer: str) -> str:
    """The hash the first turn of an attempt chains to: binds the chain to its content and scorer."""
    return data_hash({"attempt": attempt_id, "content": content_hash, "scorer": scorer})


CHAIN_VERSION = 2
"""How an attempt's chain is hashed: 1 before migration 0003 (turns only), 2 since (header, times, seal)."""


def when(value) -> str | None:
    """A timestamp as hashed: ISO 8601 in UTC with microseconds (what both backends store)."""
    from datetime import datetime, timezone

    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    value = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
    return value.isoformat(timespec="microseconds")


def header_start(header: dict) -> str:
    """Chain version 2 starts from the attempt's header: who, which exam and version, which try, when."""
    return data_hash({
        "attempt": header["id"], "content": header["content_hash"], "scorer": header["scorer_hash"],
        "trainee": header["trainee"], "exam": header["exam_id"], "version": header.get("exam_version"),
        "number": header["number"], "seed": header["seed"], "started_at": when(header["started_at"]),
    })


def turn_payload(position: int, turn: dict, chain: int = 1) -> dict:
    """The fields of a turn that its hash covers (version 2 adds when it was recorded)."""
    payload = {
        "session": position, "seq": turn["seq"], "role": turn["role"], "kind": turn["kind"],
        "text": turn["text"], "seconds": turn["seconds"], "at": turn["at"], "mood": turn["mood"], "state": turn["state"],
        "quick_reply": bool(turn["quick_reply"]),
    }
    if chain >= 2:
        payload["recorded_at"] = when(turn["recorded_at"])
    return payload


def chain_hash(prev: str, position: int, turn: dict, chain: int = 1) -> str:
    """The hash of a turn: its fields and the previous turn's hash."""
    return data_hash({"prev": prev, "turn": turn_payload(position, turn, chain)})


def seal_hash(last_hash: str, closing: dict) -> str:
    """The seal of a closed attempt: the head of its turn chain and how it ended (status, times, result)."""
    return data_hash({"prev": last_hash, "status": closing["status"], "cause": closing.get("cause"),
                      "finished_at": when(closing["finished_at"]), "total": closing["total"],
                      "passed": closing["passed"], "policy_breach": closing["policy_breach"],
                      "valid_until": when(closing["valid_until"])})


def audit_hash(prev: str, event: dict) -> str:
    """One lead action in an attempt's audit trail, chained after the seal (or the previous action)."""
    return data_hash({"prev": prev, "action": event["action"], "actor": event["actor"], "reason": event.get("reason"),
                      "detail": event.get("detail"), "created_at": when(event["created_at"]),
                      "attempt": event.get("attempt_id"), "exam": event.get("exam_id")})
