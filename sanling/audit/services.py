"""Writing the audit trail. Every service that changes data calls ``audit_change`` (or ``audit_changes``
for imports) as its last step, inside its own transaction: the entry lands exactly when the change does.

Each entry belongs to one chain: its county's (``chain_of``), or the global chain for what lies outside any
county. Appends lock the ``AuditHead`` row of each chain they write to, which orders that chain, so a write
in one county never waits for another county's; an import touching several counties locks their heads in
one fixed order (sorted by chain key), so two such imports cannot deadlock on them. Because appending is the
last thing a write does, and the foreign-key checks deferred to the commit are run before the heads are
locked, a transaction holding a head waits for no other row, so appends do not deadlock with the rows the
change itself locked. (The one exception is an import that moves a region:
``region_move`` appends before the import writes on. Should that meet a concurrent edit, PostgreSQL reports
the deadlock and rolls one side back whole.)
"""

import datetime
import hashlib
import hmac
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from json.encoder import c_make_encoder, encode_basestring
from types import MappingProxyType
from typing import NamedTuple

import orjson
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from sanling.core.bulk import bulk_load, fast_insert
from sanling.personal.fields import BlindIndexField, protected

from .context import current_actor
from .keys import signing_key
from .models import GLOBAL_CHAIN, Action, AuditEntry, AuditHead

# Bookkeeping fields that say nothing about what changed.
SKIPPED_FIELDS = frozenset(
    {"id", "version", "created_at", "updated_at", "password", "last_login", "key_hash"}
)
GENESIS = "0" * 64


class Change(NamedTuple):
    """One entry to append: what happened to which object, with the values before and after.

    A tuple because an import makes one per row it writes; ``before`` and ``after`` are never changed."""

    action: str
    object_type: str
    object_key: str
    region_path: str = ""
    before: Mapping = MappingProxyType({})
    after: Mapping = MappingProxyType({})
    note: str = ""
    verb: str = ""  # what happened, when it says more than the action: "subject.moved", "import.applied"


# The canonical form of an entry's changes is what this encoder writes (sorted keys, no spaces, text as is,
# dates as Django writes them): every stored hash depends on it.
_CANONICAL = DjangoJSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
_ORJSON_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
# Every float orjson writes has a digit followed by "." or "e", except NaN and infinities, which it writes as
# null. Strings may match too, which only costs speed.
_MAYBE_FLOAT = re.compile(rb"[0-9][.e]|null")


def audit_note(message: str, **params: object) -> str:
    """``message`` (an English msgid) translated into the product's language, whatever language the
    request that writes the entry asked for: the trail is read in Chinese."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        text = translation.gettext(message)
    return text % params if params else text


def canonical_json(value: object) -> str:
    """``value`` in canonical form. orjson writes the same text five times faster, except for floats (it
    spells 1e-05 as 0.00001 and NaN as null) and what it refuses (integers beyond 64 bits, lone surrogates,
    keys that are not strings): whatever may hold one of those is written by the standard library's
    encoder. Dates and anything else JSON has no type for go to Django's encoder either way."""
    try:
        text = orjson.dumps(value, default=_CANONICAL.default, option=_ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
        return _CANONICAL.encode(value)
    return _CANONICAL.encode(value) if _MAYBE_FLOAT.search(text) else text.decode()


def _header_encoder() -> Callable[[list], str]:
    """``json.JSONEncoder(ensure_ascii=False).encode`` with its C encoder built once rather than per call,
    which is half the cost of encoding a header."""
    if c_make_encoder is None:  # a Python without the C accelerator
        return json.JSONEncoder(ensure_ascii=False).encode
    encode = c_make_encoder(None, None, encode_basestring, None, ": ", ", ", False, False, True)
    return lambda values: "".join(encode(values, 0))


_header_text = _header_encoder()


def entry_hash(
    *,
    prev_hash: str,
    seq: int,
    at: datetime.datetime | str,
    actor_id,
    header: Sequence[str],
    changes_text: str,
    chain: str = GLOBAL_CHAIN,
    verb: str = "",
    scheme: str = "",
    key: bytes | None = None,
) -> str:
    """The hash of one entry: its sequence, time, actor, header fields (the values of ``HEADER_FIELDS``)
    and changes, chained to the previous entry's hash. ``changes_text`` is ``canonical_json`` of the
    changes; ``at`` may be given as ``at_text(at)`` when many entries share it.

    With a ``scheme`` ("hmac-v1:<key id>") and its ``key`` it is an HMAC-SHA256 under the audit key over
    the scheme and the same text, which only a holder of the key can recompute; without, the unkeyed
    SHA-256 of the entries written before the chain was keyed (verified as they are, never rewritten).

    The chain and verb came later: they enter the hash only when they differ from the default, so every
    entry written before them hashes exactly as it did."""
    if not isinstance(at, str):
        at = at_text(at)
    later = {}
    if chain != GLOBAL_CHAIN:
        later["chain"] = chain
    if verb:
        later["verb"] = verb
    fields = _header_text([seq, at, actor_id, *header, later] if later else [seq, at, actor_id, *header])
    text = f"{prev_hash}\n{fields}\n{changes_text}"
    if scheme:
        if key is None:
            raise ValueError(f"the {scheme} scheme needs its key")
        return hmac.digest(key, f"{scheme}\n{text}".encode(), "sha256").hex()
    return hashlib.sha256(text.encode()).hexdigest()


def at_text(at: datetime.datetime) -> str:
    return at.astimezone(datetime.UTC).isoformat()


def snapshot(instance: models.Model) -> dict:
    """The audited values of ``instance``: concrete fields, foreign keys by their code (or name, or id)."""
    values = {}
    for model_field in instance._meta.concrete_fields:
        if model_field.name in SKIPPED_FIELDS or isinstance(model_field, BlindIndexField):
            continue
        if model_field.is_relation:
            related = getattr(instance, model_field.name)
            if related is not None and not natural_key(related):  # a stand-in holding only its id
                related = type(related).objects.get(pk=related.pk)
            values[model_field.name] = None if related is None else natural_key(related)
        else:
            values[model_field.name] = model_field.value_from_object(instance)
    # Personal fields as a mask and a keyed fingerprint, never in clear (PIPL; sanling.personal).
    return json.loads(canonical_json(protected(instance._meta.model_name, values)))


def natural_key(instance: models.Model) -> str:
    for name in ("code", "ref", "username"):
        if hasattr(instance, name):
            return str(getattr(instance, name))
    if hasattr(instance, "user"):
        return instance.user.get_username()
    return str(instance.pk)


def chain_of(region_path: str) -> str:
    """The chain an entry about an object at ``region_path`` belongs to: the county-level code on the path
    (a 12-digit division code whose fifth and sixth digits are not both 0 and whose last six are), or the
    global chain for objects outside any county."""
    for code in region_path.split("/"):
        if len(code) == 12 and code.endswith("000000") and code[4:6] != "00" and code.isdigit():
            return code
    return GLOBAL_CHAIN


def region_path_of(instance: models.Model) -> str:
    """Where an object belongs in the region tree, so auditors of that subtree see its entries."""
    if hasattr(instance, "path"):
        return instance.path
    if hasattr(instance, "subject_id"):
        subject = instance.subject
        if subject.region_id is None:  # a stand-in holding only its id
            subject = type(subject).objects.select_related("region").get(pk=subject.pk)
        return subject.region.path
    if hasattr(instance, "user") and not hasattr(instance, "region"):
        instance = getattr(instance.user, "profile", None)
    region = getattr(instance, "region", None)
    return region.path if region is not None else ""


def audit_change(
    action: str,
    *,
    before: models.Model | dict | None = None,
    after: models.Model | dict | None = None,
    instance: models.Model | None = None,
    note: str = "",
    verb: str = "",
) -> None:
    """Record a create (``after``), an update (``before`` and ``after``) or a delete (``before``).

    ``before`` and ``after`` are objects or their ``snapshot``; ``instance`` names the object when both
    are snapshots. An update keeps only the fields that differ, and one without a difference is skipped.
    ``verb`` says what happened when the action alone does not ("subject.moved").
    """
    instance = instance or next(value for value in (after, before) if isinstance(value, models.Model))
    old = before if isinstance(before, dict) else (snapshot(before) if before is not None else {})
    new = after if isinstance(after, dict) else (snapshot(after) if after is not None else {})
    if action == Action.UPDATE:
        differing = {name for name in old.keys() | new.keys() if old.get(name) != new.get(name)}
        if not differing:
            return
        old = {name: value for name, value in old.items() if name in differing}
        new = {name: value for name, value in new.items() if name in differing}
    audit_changes(
        [
            Change(
                action,
                instance._meta.model_name,
                natural_key(instance),
                region_path_of(instance),
                old,
                new,
                note,
                verb,
            )
        ]
    )


def verb_if_changed(before: dict, after: models.Model, *fields: str, verb: str = "") -> str:
    """``verb`` (by default "<model>.<field>_changed") if any of ``after``'s ``fields`` differs from the
    snapshot ``before``, else ""."""
    now = snapshot(after)
    if all(before.get(field) == now.get(field) for field in fields):
        return ""
    return verb or f"{after._meta.model_name}.{fields[0]}_changed"


def audit_export(
    *,
    what: str,
    region_path: str,
    rows: Mapping[str, int],
    file_format: str,
    personal_fields: Sequence[str] = (),
    filters: str = "",
    mark: Mapping[str, str] | None = None,
) -> None:
    """Record an export (web or command line): ``what`` was exported (``subjects``, ``events``,
    ``disputes``, ``bundle``), how many rows of each file, in which format, under which filters, which
    personal fields it carried (e.g. ``contact_name``, ``contact_phone``) and its watermark."""
    after = {"rows": dict(rows), "format": file_format, "personal_fields": list(personal_fields)}
    if filters:
        after["filters"] = filters[:500]
    if mark:
        after["mark"] = dict(mark)
    total = sum(rows.values())
    note = audit_note("Export of %(rows)s rows (%(format)s)", rows=total, format=file_format)
    if personal_fields:
        note += audit_note(", with personal data")
    audit_changes(
        [
            Change(
                Action.EXPORT,
                "export",
                what,
                region_path,
                after=after,
                note=note[:200],
                verb=f"export.{what}",
            )
        ]
    )


@transaction.atomic
def audit_changes(changes: Iterable[Change], count: int | None = None) -> int:
    """Append entries in order, each to its chain; one lock per chain and one bulk insert for any number.

    ``count``, how many ``changes`` will yield, is no longer needed: entries are grouped by chain first."""
    by_chain: dict[str, list[Change]] = {}
    for change in changes:
        by_chain.setdefault(chain_of(change.region_path), []).append(change)
    if not by_chain:
        return 0
    _check_deferred()
    heads = _lock_heads(by_chain.keys())
    opened = sorted(chain for chain, head in heads.items() if chain != GLOBAL_CHAIN and head.seq == 0)
    if opened:  # the global chain names every chain, so that removing one whole is detected
        heads |= _lock_heads([GLOBAL_CHAIN])
        by_chain.setdefault(GLOBAL_CHAIN, []).extend(
            Change(Action.CREATE, "auditchain", chain, verb="audit.chain_opened") for chain in opened
        )
    scheme, key = signing_key()
    actor = current_actor()
    actor_id = getattr(actor.user, "pk", None)
    at = timezone.now()
    at_hashed = at_text(at)
    ends: dict[str, tuple[int, str]] = {}

    def rows():
        for chain in sorted(by_chain):
            seq, prev_hash = heads[chain].seq, heads[chain].hash
            for change in by_chain[chain]:
                seq += 1
                header = (
                    actor.name,
                    actor.source,
                    actor.ip,
                    change.action,
                    change.object_type,
                    change.object_key,
                    change.region_path,
                    change.note,
                )
                # Whatever path built the change (a service's snapshot, an import's row), personal fields
                # are written masked: this is the one place every entry passes.
                before = protected(change.object_type, change.before) if change.before else {}
                after = protected(change.object_type, change.after) if change.after else {}
                changes_text = canonical_json({"before": before, "after": after})
                digest = entry_hash(
                    prev_hash=prev_hash,
                    seq=seq,
                    at=at_hashed,
                    actor_id=actor_id,
                    header=header,
                    changes_text=changes_text,
                    chain=chain,
                    verb=change.verb,
                    scheme=scheme,
                    key=key,
                )
                yield (
                    chain,
                    seq,
                    at,
                    actor_id,
                    *header,
                    change.verb,
                    changes_text,
                    scheme,
                    prev_hash,
                    digest,
                )
                prev_hash = digest
            ends[chain] = (seq, prev_hash)

    total = sum(len(entries) for entries in by_chain.values())
    with bulk_load(AuditEntry, total):
        written = fast_insert(AuditEntry, [*ENTRY_COLUMNS, "scheme", "prev_hash", "hash"], rows())
    for chain, (seq, prev_hash) in ends.items():
        AuditHead.objects.filter(pk=heads[chain].pk).update(seq=seq, hash=prev_hash)
    return written


def _check_deferred() -> None:
    """Run the foreign-key checks still deferred to the commit now, before the heads are locked: they lock
    the rows referred to (key share), and a transaction holding a head must not wait for any row, or it
    deadlocks with a writer that holds such a row and waits for the head."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED")


def _lock_heads(chains: Iterable[str]) -> dict[str, AuditHead]:
    """Lock the heads of ``chains``, creating those that do not exist yet, in one fixed order (by key) so
    that two writers locking several never deadlock on them."""
    chains = sorted(set(chains))
    locked = AuditHead.objects.select_for_update().filter(chain__in=chains).order_by("chain")
    heads = {head.chain: head for head in locked}
    if len(heads) < len(chains):  # a county's first entry: two writers may create its head at once
        AuditHead.objects.bulk_create(
            [AuditHead(chain=chain) for chain in chains if chain not in heads], ignore_conflicts=True
        )
        heads = {head.chain: head for head in locked.all()}
    return heads


# The columns of an entry in the order ``rows`` yields them (its header in the order of ``HEADER_FIELDS``).
ENTRY_COLUMNS = [
    "chain",
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "source",
    "ip",
    "action",
    "object_type",
    "object_key",
    "region_path",
    "note",
    "verb",
    "changes",
]
HEADER_FIELDS = ENTRY_COLUMNS[4:-2]
