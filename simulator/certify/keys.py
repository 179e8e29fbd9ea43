"""Ed25519 keys for signing verified results (`kefu keys init`, `kefu export --sign`, `kefu verify`).

A signature covers the canonical JSON of the whole bundle except the signature itself. It proves
who vouched for a bundle, not that the bundle is true: `kefu verify` checks both.

Only keys the lead trusts count: `kefu keys trust FILE.pub` copies a public key into
`$KEFU_HOME/keys/trusted/` (`kefu keys init` trusts its own), and a signature by any other key —
a trainee's own, say — is reported as 签名者不受信任 and verify fails.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from simulator.records.errors import RecordsError
from simulator.records.hashing import canonical_json
from simulator.records.store import default_home

PRIVATE_FILE = "kefu-signing.key"
PUBLIC_FILE = "kefu-signing.pub"
TRUSTED_DIR = "trusted"
UNTRUSTED = "签名者不受信任"


def keys_dir() -> Path:
    return default_home() / "keys"


def _raw_public(public_key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(raw_public: bytes) -> str:
    """A short, readable id of a public key."""
    return hashlib.sha256(raw_public).hexdigest()[:16]


def init_keys(folder: Path | None = None) -> tuple[Path, Path, str]:
    """Create a key pair (never over an existing one); returns (private, public, fingerprint)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    folder = folder or keys_dir()
    private_path, public_path = folder / PRIVATE_FILE, folder / PUBLIC_FILE
    if private_path.exists() or private_path.is_symlink():
        raise RecordsError(f"签名密钥已存在：{private_path}。不会覆盖；要换新密钥请先移走旧的。")
    from simulator.clikit import check_target

    check_target(public_path)  # never through a symbolic link, never over the records database
    try:
        folder.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        # O_EXCL: private from the start, and never through a link planted at the name
        fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        from simulator.atomic import atomic_write_text

        atomic_write_text(public_path, key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii"))
    except OSError as exc:
        raise RecordsError(f"无法写入签名密钥到 {folder}：{exc.strerror or exc}") from exc
    trust_key(public_path, folder / TRUSTED_DIR)  # the lead's own key signs what the lead verified
    return private_path, public_path, fingerprint(_raw_public(key.public_key()))


def trust_key(public_path: Path, folder: Path | None = None) -> tuple[Path, str, bool]:
    """Keep a public key among the trusted ones; (where, fingerprint, whether it was new)."""
    raw = _raw_public(load_public_key(public_path))
    digest = fingerprint(raw)
    folder = folder or keys_dir() / TRUSTED_DIR
    target = folder / f"{digest}.pub"
    if target.is_file() and not target.is_symlink():
        return target, digest, False
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    pem = Ed25519PublicKey.from_public_bytes(raw).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
    except OSError as exc:
        raise RecordsError(f"无法写入受信任的公钥到 {folder}：{exc.strerror or exc}") from exc
    return target, digest, True


def trusted_keys(folder: Path | None = None) -> list[bytes]:
    """The raw public keys the lead trusts (unreadable files are skipped)."""
    folder = folder or keys_dir() / TRUSTED_DIR
    out = []
    try:
        entries = sorted(folder.glob("*.pub"))
    except OSError:
        return out
    for path in entries:
        try:
            out.append(_raw_public(load_public_key(path)))
        except RecordsError:
            continue
    return out


def load_private_key(path: str | Path | None = None):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = Path(path) if path else keys_dir() / PRIVATE_FILE
    try:
        key = serialization.load_pem_private_key(_read_small(path), password=None)
    except RecordsError:
        raise
    except (ValueError, TypeError) as exc:
        raise RecordsError(f"{path} 不是 Ed25519 私钥文件。") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise RecordsError(f"{path} 不是 Ed25519 私钥（kefu keys init 生成的才行）。")
    return key


def load_public_key(path: Path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = serialization.load_pem_public_key(_read_small(path))
    except RecordsError:
        raise
    except (ValueError, TypeError) as exc:
        raise RecordsError(f"{path} 不是 Ed25519 公钥文件。") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise RecordsError(f"{path} 不是 Ed25519 公钥。")
    return key


def _read_small(path: Path) -> bytes:
    try:
        if not path.is_file():
            raise RecordsError(f"找不到密钥文件：{path}（先运行 kefu keys init）")
        with open(path, "rb") as f:
            return f.read(64 * 1024)
    except OSError as exc:
        raise RecordsError(f"无法读取密钥文件 {path}：{exc.strerror or exc}") from exc


def _signed_bytes(bundle: dict) -> bytes:
    return canonical_json({k: v for k, v in bundle.items() if k != "signature"}).encode("utf-8")


def sign_bundle(bundle: dict, private_key) -> None:
    """Add (or replace) the bundle's signature."""
    raw = _raw_public(private_key.public_key())
    bundle["signature"] = {
        "algorithm": "ed25519",
        "public_key": base64.b64encode(raw).decode("ascii"),
        "fingerprint": fingerprint(raw),
        "value": base64.b64encode(private_key.sign(_signed_bytes(bundle))).decode("ascii"),
    }


def check_signature(bundle: dict, trust: Path | None = None,
                    trusted_set: list[bytes] | None = None) -> tuple[list[str], list[str]]:
    """(problems, notes) about the bundle's signature.

    `trust` (verify --trust KEY.pub) requires a signature by that key; otherwise a signature holds only
    when its key is in `trusted_set` (default: the keys in $KEFU_HOME/keys/trusted)."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    signature = bundle.get("signature")
    trusted = _raw_public(load_public_key(trust)) if trust else None
    if signature is None:
        return (["没有签名，但要求由指定公钥签名（--trust）"] if trusted else []), ([] if trusted else ["没有签名"])
    try:
        raw = base64.b64decode(signature["public_key"], validate=True)
        value = base64.b64decode(signature["value"], validate=True)
        if signature.get("algorithm") != "ed25519":
            return [f"不认识的签名算法：{signature.get('algorithm')}"], []
        Ed25519PublicKey.from_public_bytes(raw).verify(value, _signed_bytes(bundle))
    except InvalidSignature:
        return ["签名不成立：签名之后内容被改过"], []
    except (KeyError, TypeError, ValueError):
        return ["签名格式不对"], []
    if trusted is not None and raw != trusted:
        return [f"{UNTRUSTED}：签名来自另一把密钥（指纹 {fingerprint(raw)}），不是指定的 {fingerprint(trusted)}"], []
    if trusted is None and raw not in (trusted_keys() if trusted_set is None else trusted_set):
        return [f"{UNTRUSTED}：签名数学上成立，但密钥（指纹 {fingerprint(raw)}）不在你信任的公钥里"
                "（kefu keys trust 组长公钥.pub 后再核验）"], []
    return [], [f"签名成立，签名者受信任（密钥指纹 {fingerprint(raw)}）"]
