"""Reading the audit trail: who may see which entries, and checking the chain."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sanling.accounts.scope import Scope

from .models import AuditEntry, AuditHead
from .services import GENESIS, HEADER_FIELDS, canonical_json, entry_hash


def audit_entries_for(scope: Scope) -> QuerySet[AuditEntry]:
    """Auditors read the entries of their region's subtree and those that belong to no region."""
    if scope.everything:
        return AuditEntry.objects.all()
    if not scope.can_audit or scope.region is None:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(Q(region_path__startswith=scope.region.path) | Q(region_path=""))


@dataclass
class ChainProblem:
    seq: int
    reason: str


def audit_verify() -> tuple[int, list[ChainProblem]]:
    """Walk the chain from the first entry: (entries checked, problems found)."""
    problems: list[ChainProblem] = []
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=5000):
        checked += 1
        if entry.seq != expected_seq:
            problems.append(
                ChainProblem(
                    expected_seq,
                    _("Entries %(first)s to %(last)s are missing.")
                    % {"first": expected_seq, "last": entry.seq - 1},
                )
            )
        if entry.prev_hash != prev_hash:
            problems.append(ChainProblem(entry.seq, _("It does not follow the entry before it.")))
        recomputed = entry_hash(
            prev_hash=entry.prev_hash,
            seq=entry.seq,
            at=entry.at,
            actor_id=entry.actor_id,
            header=[getattr(entry, name) for name in HEADER_FIELDS],
            changes_text=canonical_json(entry.changes),
        )
        if recomputed != entry.hash:
            problems.append(ChainProblem(entry.seq, _("Its content was changed after it was written.")))
        expected_seq, prev_hash = entry.seq + 1, entry.hash
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        problems.append(
            ChainProblem(
                head.seq,
                _("The last %(count)s entries are missing.")
                % {"count": max(head.seq - (expected_seq - 1), 0)},
            )
            if head.seq > expected_seq - 1
            else ChainProblem(expected_seq - 1, _("The chain does not end where it was last written."))
        )
    return checked, problems
