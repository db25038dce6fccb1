"""The key the audit chain is signed with: HMAC-SHA256 under a secret the database does not hold, so that
someone who can rewrite the database still cannot rewrite the trail without ``audit verify`` noticing.

The key is ``SANLING_AUDIT_KEY``, or else the key file (``SANLING_AUDIT_KEY_FILE``, by default
``var/audit_key``), generated with 256 random bits and mode 0600 on first use outside production. In
production a missing key is an error (``sanling check`` reports it; the first write refuses), never a key
made up on the spot. Each entry records which key signed it (``scheme`` = ``hmac-v1:<key id>``), so after a
rotation the retired keys, listed in ``SANLING_AUDIT_OLD_KEYS``, still verify what they signed.
"""

import functools
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

SCHEME = "hmac-v1"


class AuditKeyMissing(ImproperlyConfigured):
    pass


def key_id(key: bytes) -> str:
    """A short name of ``key`` that reveals nothing about it (it is itself an HMAC under the key)."""
    return hmac.new(key, b"sanling audit key id", hashlib.sha256).hexdigest()[:12]


def signing_key() -> tuple[str, bytes]:
    """(scheme, key) for new entries: ``("hmac-v1:<key id>", key)``."""
    key = _key(settings.AUDIT_KEY, str(settings.AUDIT_KEY_FILE), settings.PRODUCTION)
    return f"{SCHEME}:{key_id(key)}", key


def verifying_keys() -> dict[str, bytes]:
    """Every key that may have signed an entry, by the scheme it writes: the current one and the retired."""
    scheme, key = signing_key()
    keys = {f"{SCHEME}:{key_id(old)}": old for old in map(str.encode, settings.AUDIT_OLD_KEYS)}
    return keys | {scheme: key}


@functools.lru_cache(maxsize=8)
def _key(from_env: str, path: str, production: bool) -> bytes:
    if from_env:
        return from_env.encode()
    file = Path(path)
    if not file.exists():
        if production:
            raise AuditKeyMissing(
                "审计日志密钥缺失：生产环境（SANLING_ENV=production）须设置 SANLING_AUDIT_KEY 或提供密钥文件 "
                f"{file}（SANLING_AUDIT_KEY_FILE）。"
            )
        _create_key_file(file)
    key = file.read_text().strip()
    if not key:
        raise AuditKeyMissing(f"审计日志密钥文件 {file} 是空的。")
    return key.encode()


def _create_key_file(file: Path) -> None:
    """Write a new key readable by its owner only; two processes starting at once keep the first one."""
    file.parent.mkdir(parents=True, exist_ok=True)
    draft = file.with_name(f".{file.name}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_urlsafe(32))
        os.link(draft, file)  # atomic, and fails if another process made the key first
    except FileExistsError:
        pass
    finally:
        draft.unlink(missing_ok=True)


@register()
def audit_key_check(app_configs=None, **kwargs) -> list[Error]:
    """In production the audit key must be configured before anything is written."""
    if not settings.PRODUCTION or settings.AUDIT_KEY or Path(settings.AUDIT_KEY_FILE).exists():
        return []
    return [
        Error(
            "审计日志密钥缺失：生产环境须设置 SANLING_AUDIT_KEY 或提供密钥文件（SANLING_AUDIT_KEY_FILE）。",
            hint="Generate one with `python -c 'import secrets; print(secrets.token_urlsafe(32))'` and keep a "
            "copy apart from the database backups.",
            id="sanling.audit.E001",
        )
    ]
