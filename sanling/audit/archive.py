"""Archiving the audit trail: entries older than a date written to a file with their hashes, so the file
can be verified away from the database (with the audit key), and nothing deleted.

The rule (等保 2.0 level 3, 安全审计): audit entries are kept at least ``AUDIT_RETENTION_DAYS`` (never fewer
than 180 days) and the application never deletes one. An archive is a copy for keeping elsewhere (offline
storage, the county's archive office); the entries stay in the database. ``--before`` later than today
minus the retention period is refused, so an archive can never be the excuse to drop recent entries.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.core.confirm import database_label

from .anchors import sign, signed_record
from .keys import signing_key, verifying_keys
from .models import AuditEntry
from .selectors import ChainProblem, walk_chain
from .services import ENTRY_COLUMNS, at_text

ARCHIVE_KIND = "sanling-audit-archive"
FIELDS = [*ENTRY_COLUMNS, "scheme", "prev_hash", "hash"]


def latest_archivable_date() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)


def audit_archive_write(*, before: datetime.date, path: Path) -> dict[str, tuple[int, int]]:
    """Write every entry made before ``before`` (local midnight) to ``path``: a signed summary line, then
    one JSON line per entry, chain by chain from its first entry. Returns {chain: (first, last seq)}."""
    if before > latest_archivable_date():
        raise ValidationError(
            _("Audit entries are kept %(days)s days: archive only entries before %(date)s.")
            % {"days": settings.AUDIT_RETENTION_DAYS, "date": latest_archivable_date().isoformat()}
        )
    cut = timezone.make_aware(datetime.datetime.combine(before, datetime.time()))
    # Each chain from its first entry to its last one made before the cut (a prefix even if a clock stepped back).
    ends = AuditEntry.objects.filter(at__lt=cut).values("chain").annotate(last=Max("seq"))
    prefixes = Q(pk__in=[])
    for end in ends:
        prefixes |= Q(chain=end["chain"], seq__lte=end["last"])
    entries = AuditEntry.objects.filter(prefixes).order_by("chain", "seq")
    chains: dict[str, list] = {}
    path.parent.mkdir(parents=True, exist_ok=True)
    body = path.with_name(path.name + ".part")
    with body.open("w", encoding="utf-8") as out:
        for entry in entries.iterator(chunk_size=5000):
            row = {name: getattr(entry, name) for name in FIELDS}
            row["at"] = at_text(entry.at)
            out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
            span = chains.setdefault(entry.chain, [entry.seq, entry.seq, entry.hash])
            span[1:] = [entry.seq, entry.hash]
    scheme, key = signing_key()
    summary = sign(
        {
            "kind": ARCHIVE_KIND,
            "before": before.isoformat(),
            "written_at": timezone.now().isoformat(),
            "database": database_label(),
            "chains": {
                chain: {"first": first, "last": last, "hash": digest}
                for chain, (first, last, digest) in chains.items()
            },
        },
        scheme=scheme,
        key=key,
    )
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps(summary, ensure_ascii=False) + "\n")
        with body.open(encoding="utf-8") as entries_file:
            for line in entries_file:
                out.write(line)
    body.unlink()
    return {chain: (first, last) for chain, (first, last, _digest) in chains.items()}


def audit_archive_verify(*, path: Path) -> tuple[int, list[ChainProblem]]:
    """Check an archive without the database: its summary's signature, and each chain in it linking from
    its first entry to the last the summary names, every hash recomputed with the audit key."""
    keys = verifying_keys()
    lines = path.read_text(encoding="utf-8").splitlines()
    summary = signed_record(lines[0], kind=ARCHIVE_KIND, keys=keys) if lines else None
    if summary is None:
        return 0, [
            ChainProblem(0, _("The archive's summary is missing or its signature does not match."), "archive")
        ]
    by_chain: dict[str, list[AuditEntry]] = {}
    problems: list[ChainProblem] = []
    for number, line in enumerate(lines[1:], 2):
        try:
            row = json.loads(line)
            entry = AuditEntry(**{name: row[name] for name in FIELDS})
        except (ValueError, TypeError, KeyError):
            problems.append(
                ChainProblem(number, _("Line %(line)s is not an audit entry.") % {"line": number}, "archive")
            )
            continue
        by_chain.setdefault(entry.chain, []).append(entry)
    checked = 0
    expected = summary["chains"]
    for chain in sorted(by_chain.keys() | expected.keys()):
        entries = by_chain.get(chain, [])
        count, found, last, digest = walk_chain(chain, entries, keys, require_keyed=False)
        checked += count
        problems += found
        span = expected.get(chain)
        if span is None or (span["last"], span["hash"]) != (last, digest):
            problems.append(
                ChainProblem(last, _("The chain in the archive does not end where its summary says."), chain)
            )
    return checked, problems
