"""Reading the audit trail: who may see which entries, and checking the chain."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sanling.accounts.scope import Scope
from sanling.regions.models import subtree_q

from .keys import verifying_keys
from .models import GLOBAL_CHAIN, AuditEntry, AuditHead
from .services import GENESIS, HEADER_FIELDS, canonical_json, entry_hash


def audit_entries_for(scope: Scope) -> QuerySet[AuditEntry]:
    """Auditors read the entries of their region's subtree and those that belong to no region."""
    if scope.everything:
        return AuditEntry.objects.all()
    if not scope.can_audit or scope.region is None:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(subtree_q(scope.region.path, via="region_") | Q(region_path=""))


@dataclass
class ChainProblem:
    seq: int
    reason: str
    chain: str = GLOBAL_CHAIN


@dataclass
class ChainReport:
    chain: str
    checked: int
    problems: list[ChainProblem]


def audit_verify() -> tuple[int, list[ChainProblem]]:
    """Check every chain: (entries checked, problems found in any chain)."""
    reports = audit_verify_chains()
    return sum(report.checked for report in reports), [
        problem for report in reports for problem in report.problems
    ]


def audit_verify_chains() -> list[ChainReport]:
    """Walk each chain from its first entry to its head, independently; then check that every chain the
    global chain says was opened is still there."""
    keys = verifying_keys()
    heads = {head.chain: head for head in AuditHead.objects.all()}
    chains = set(AuditEntry.objects.values_list("chain", flat=True).distinct()) | set(heads)
    reports = [_verify_chain(chain, heads.get(chain), keys) for chain in sorted(chains)]
    opened = set(
        AuditEntry.objects.filter(chain=GLOBAL_CHAIN, verb="audit.chain_opened").values_list(
            "object_key", flat=True
        )
    )
    for chain in sorted(opened - chains):
        reports.append(ChainReport(chain, 0, [ChainProblem(1, _("The whole chain is missing."), chain)]))
    return reports


def entry_recomputed(entry: AuditEntry, keys: dict[str, bytes]) -> str | None:
    """The hash ``entry`` should carry, recomputed from its content (None: signed by a key not at hand)."""
    if entry.scheme and entry.scheme not in keys:
        return None
    return entry_hash(
        prev_hash=entry.prev_hash,
        seq=entry.seq,
        at=entry.at,
        actor_id=entry.actor_id,
        header=[getattr(entry, name) for name in HEADER_FIELDS],
        changes_text=canonical_json(entry.changes),
        chain=entry.chain,
        verb=entry.verb,
        scheme=entry.scheme,
        key=keys.get(entry.scheme),
    )


def _verify_chain(chain: str, head: AuditHead | None, keys: dict[str, bytes]) -> ChainReport:
    entries = AuditEntry.objects.filter(chain=chain).order_by("seq").iterator(chunk_size=5000)
    checked, problems, last, prev_hash = walk_chain(chain, entries, keys)
    if head is None:
        if checked:
            problems.append(ChainProblem(last, _("The chain's head is missing."), chain))
    elif head.seq > last:
        problems.append(
            ChainProblem(
                head.seq, _("The last %(count)s entries are missing.") % {"count": head.seq - last}, chain
            )
        )
    elif head.seq != last or head.hash != prev_hash:
        problems.append(ChainProblem(last, _("The chain does not end where it was last written."), chain))
    return ChainReport(chain, checked, problems)


def walk_chain(
    chain: str, entries: Iterable[AuditEntry], keys: dict[str, bytes], *, require_keyed: bool = True
) -> tuple[int, list[ChainProblem], int, str]:
    """Check ``entries`` of ``chain`` (in order, from its first) link up and carry the hashes their content
    gives: (entries checked, problems, last sequence, last hash).

    Unkeyed (legacy) entries are accepted only at the start of a chain, before its first keyed one, whose
    HMAC covers the last legacy hash and so the whole legacy prefix: a chain rewritten with unkeyed hashes,
    or with a keyed entry turned back into an unkeyed one, does not pass (``require_keyed``: a chain in the
    database must hold a keyed entry; an archive's chains are vouched for by its signed summary instead)."""
    problems: list[ChainProblem] = []
    expected_seq, prev_hash, checked, keyed = 1, GENESIS, 0, False
    for entry in entries:
        checked += 1
        if entry.seq != expected_seq:
            problems.append(
                ChainProblem(
                    expected_seq,
                    _("Entries %(first)s to %(last)s are missing.")
                    % {"first": expected_seq, "last": entry.seq - 1},
                    chain,
                )
            )
        if entry.prev_hash != prev_hash:
            problems.append(ChainProblem(entry.seq, _("It does not follow the entry before it."), chain))
        recomputed = entry_recomputed(entry, keys)
        if recomputed is None:
            problems.append(
                ChainProblem(
                    entry.seq,
                    _("It was signed with an audit key that is not configured (key %(id)s).")
                    % {"id": entry.scheme.partition(":")[2]},
                    chain,
                )
            )
        elif recomputed != entry.hash:
            problems.append(
                ChainProblem(entry.seq, _("Its content was changed after it was written."), chain)
            )
        elif not entry.scheme and keyed:
            problems.append(ChainProblem(entry.seq, _("It is not signed, yet entries before it are."), chain))
        keyed = keyed or bool(entry.scheme)
        expected_seq, prev_hash = entry.seq + 1, entry.hash
    last = expected_seq - 1
    if require_keyed and checked and not keyed:
        problems.append(ChainProblem(last, _("No entry of this chain is signed with the audit key."), chain))
    return checked, problems, last, prev_hash
