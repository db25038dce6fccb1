"""Anchors: the chains' heads, signed with the audit key, written to a file outside the database.

The key stops anyone without it from rewriting entries; it cannot stop someone with the database from
cutting the newest entries off a chain and moving its head back (what is left is still validly signed), or
from emptying the tables. An anchor taken now (``sanling audit anchor --to FILE``, from cron, to a file on
another machine or write-once storage) remembers where every chain ended; ``sanling audit verify --anchor
FILE`` then checks that each anchored entry is still there with the same hash.
"""

import hmac
import json
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.core.confirm import database_label

from .keys import signing_key, verifying_keys
from .models import AuditEntry, AuditHead
from .selectors import ChainProblem
from .services import canonical_json

ANCHOR_KIND = "sanling-audit-anchor"


def sign(record: dict, *, scheme: str, key: bytes) -> dict:
    """``record`` with its scheme and an HMAC over its canonical form."""
    record = record | {"scheme": scheme}
    return record | {"mac": hmac.digest(key, canonical_json(record).encode(), "sha256").hex()}


def signature_valid(record: dict, keys: dict[str, bytes]) -> bool:
    body = {name: value for name, value in record.items() if name != "mac"}
    key = keys.get(body.get("scheme", ""))
    if key is None or not isinstance(record.get("mac"), str):
        return False
    expected = hmac.digest(key, canonical_json(body).encode(), "sha256").hex()
    return hmac.compare_digest(expected, record["mac"])


def signed_record(line: str, *, kind: str, keys: dict[str, bytes]) -> dict | None:
    """The record a line of an anchor or archive file holds, if it is JSON of ``kind`` validly signed with
    one of ``keys``; else None."""
    try:
        record = json.loads(line)
    except ValueError:
        return None
    if not isinstance(record, dict) or record.get("kind") != kind or not signature_valid(record, keys):
        return None
    return record


def audit_anchor_write(*, path: Path) -> dict:
    """Append one signed line naming every chain's head to ``path``; returns the record."""
    scheme, key = signing_key()
    heads = {head.chain: [head.seq, head.hash] for head in AuditHead.objects.order_by("chain") if head.seq}
    record = sign(
        {
            "kind": ANCHOR_KIND,
            "at": timezone.now().isoformat(),
            "database": database_label(),
            "heads": heads,
        },
        scheme=scheme,
        key=key,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return record


def audit_anchor_check(*, path: Path) -> list[ChainProblem]:
    """Every entry an anchor in ``path`` names must still be in the database with the hash it had."""
    keys = verifying_keys()
    problems: list[ChainProblem] = []
    anchored: dict[tuple[str, int], str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        record = signed_record(line, kind=ANCHOR_KIND, keys=keys)
        if record is None:
            problems.append(
                ChainProblem(
                    number,
                    _("Line %(line)s of the anchor file is not a valid signed anchor.") % {"line": number},
                    "anchor",
                )
            )
            continue
        for chain, (seq, digest) in record["heads"].items():
            anchored[(chain, seq)] = digest
    for (chain, seq), digest in sorted(anchored.items()):
        entry = AuditEntry.objects.filter(chain=chain, seq=seq).only("hash").first()
        if entry is None:
            problems.append(
                ChainProblem(seq, _("An anchored entry is gone: the chain was cut back or emptied."), chain)
            )
        elif entry.hash != digest:
            problems.append(
                ChainProblem(seq, _("An anchored entry has another hash: the chain was rewritten."), chain)
            )
    return problems
