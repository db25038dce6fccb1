"""The data keys and what they do: AES-256-GCM encryption of personal fields and keyed blind indexes.

A stored value is ``A.<key id>.<base64 of nonce + ciphertext + tag>``: ``A`` names the cipher (AES-256-GCM;
``S`` is kept for SM4-GCM, see docs/security.md), the key id names the key, so keys rotate without
rewriting every row at once, and each value has its own random 96-bit nonce. The field's name is the
associated data: a ciphertext copied into another column does not decrypt.

Keys come from ``SANLING_DATA_KEY`` (base64 of 32 random bytes; several separated by commas, the first
encrypting and all decrypting, while a rotation runs) or else from the key file
``SANLING_DATA_KEY_FILE`` (one key a line, same order), which a non-production install creates (mode 0600)
on first use. In production a missing key is an error, never a new key: data encrypted under a key nobody
kept is lost.

Each key yields two keys through HKDF-SHA256: one encrypts, the other keys the HMAC-SHA256 blind indexes
(and the fingerprints the audit trail keeps of personal values), so neither use weakens the other.
"""

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

CIPHER = "A"  # AES-256-GCM
NONCE_BYTES = 12  # 96 bits, the size GCM is designed for
KEY_BYTES = 32


class DecryptionError(Exception):
    """A stored value that is not a ciphertext of ours, was changed, or is under a key we do not hold."""


@dataclass(frozen=True)
class DataKey:
    id: str
    aead: AESGCM
    index_key: bytes


def _derive(key: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=b"sanling " + purpose).derive(
        key
    )


def key_id(key: bytes) -> str:
    """A short public name of a key (not a secret: a hash of it), written before every value it encrypts."""
    return hashlib.sha256(b"sanling key id\n" + key).hexdigest()[:8]


def new_key_text() -> str:
    """A fresh key, as ``SANLING_DATA_KEY`` and the key file spell it."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def _parse(text: str, origin: str) -> list[bytes]:
    keys = []
    for part in text.replace(",", "\n").split():
        try:
            key = base64.b64decode(part, validate=True)
        except binascii.Error:
            raise ImproperlyConfigured(f"{origin}: 数据密钥不是 base64 编码。") from None
        if len(key) != KEY_BYTES:
            raise ImproperlyConfigured(f"{origin}: 数据密钥须为 32 字节（base64 编码后 44 个字符）。")
        keys.append(key)
    return keys


def key_source() -> tuple[str, Path | None]:
    """Where the keys come from: ("env", None), ("file", path) when the file exists, else ("", path)."""
    if getattr(settings, "SANLING_DATA_KEY", ""):
        return "env", None
    path = Path(settings.SANLING_DATA_KEY_FILE)
    return ("file" if path.exists() else ""), path


def _read_or_create_file(path: Path) -> str:
    if not path.exists():
        if settings.PRODUCTION:
            raise ImproperlyConfigured(
                "生产环境未配置数据密钥：请设置 SANLING_DATA_KEY 或 SANLING_DATA_KEY_FILE（见 docs/operations.md）。"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        try:  # O_EXCL: two processes starting at once must not each write a different key
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as file:
                file.write(new_key_text() + "\n")
    return path.read_text()


@cache
def keys() -> tuple[DataKey, ...]:
    """The configured keys, the one that encrypts first."""
    source, path = key_source()
    if source == "env":
        raw = _parse(settings.SANLING_DATA_KEY, "SANLING_DATA_KEY")
    else:
        raw = _parse(_read_or_create_file(path), str(path))
    if not raw:
        raise ImproperlyConfigured("数据密钥为空：请设置 SANLING_DATA_KEY 或数据密钥文件。")
    return tuple(
        DataKey(key_id(key), AESGCM(_derive(key, b"field encryption")), _derive(key, b"blind index"))
        for key in raw
    )


@cache
def _by_id() -> dict[str, DataKey]:
    return {key.id: key for key in keys()}


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs) -> None:
    if setting in ("SANLING_DATA_KEY", "SANLING_DATA_KEY_FILE", "PRODUCTION"):
        keys.cache_clear()
        _by_id.cache_clear()


def encrypt(plaintext: str, *, context: str) -> str:
    """``plaintext`` encrypted under the current key, bound to ``context`` (the field's name)."""
    key = keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    sealed = key.aead.encrypt(nonce, plaintext.encode(), context.encode())
    return f"{CIPHER}.{key.id}.{base64.b64encode(nonce + sealed).decode()}"


def is_ciphertext(value: str) -> bool:
    return value.startswith(f"{CIPHER}.") and value.count(".") == 2


def decrypt(stored: str, *, context: str) -> str:
    """The plaintext of ``stored``; ``DecryptionError`` if it was changed, moved from another field, or is
    under a key that is not configured."""
    try:
        cipher, kid, body = stored.split(".")
        if cipher != CIPHER:
            raise ValueError
        raw = base64.b64decode(body, validate=True)
    except ValueError:
        raise DecryptionError(f"not an encrypted value of {context}") from None
    key = _by_id().get(kid)
    if key is None:
        raise DecryptionError(f"{context} is encrypted under key {kid}, which is not configured")
    try:
        return key.aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()).decode()
    except InvalidTag:
        raise DecryptionError(f"{context}: the stored value was changed or the key is wrong") from None


def key_id_of(stored: str) -> str:
    return stored.split(".")[1] if is_ciphertext(stored) else ""


def blind_indexes(normalized: str, *, context: str) -> list[str]:
    """The blind index of a normalised value under each configured key, the current key's first: a search
    looks for any of them, so rows not yet re-indexed by a rotation are still found."""
    return [_index(key, normalized, context) for key in keys()]


def blind_index(normalized: str, *, context: str) -> str:
    return _index(keys()[0], normalized, context)


def _index(key: DataKey, normalized: str, context: str) -> str:
    message = f"{context}\n{normalized}".encode()
    return hmac.new(key.index_key, message, hashlib.sha256).hexdigest()[:32]


def fingerprint(value: str, *, context: str) -> str:
    """A short keyed digest the audit trail keeps beside a masked value: two different values of a field
    show as different without either being readable (nor guessable without the key)."""
    return hmac.new(keys()[0].index_key, f"audit\n{context}\n{value}".encode(), hashlib.sha256).hexdigest()[
        :8
    ]
