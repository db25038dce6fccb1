"""The audit trail: an append-only, hash-chained record of every change and of reads of contact data.

There is one chain per county (the county-level region code in the object's region path) and a ``global``
chain for everything outside any county (users, departments, provinces and cities, policies), so writes in
one county never wait for another county's. Within a chain each entry's ``hash`` covers its own content and
the previous entry's hash, as an HMAC under the audit key the database does not hold (``keys.py``), so
changing or deleting any entry breaks the chain from there on and cannot be papered over by recomputing.
Each chain's ``AuditHead`` keeps its last sequence number and hash, so cutting entries off the end is
detected too (unless the head is moved back with them: that takes an anchor, ``anchors.py``), and the
global chain records every chain opened, so removing a whole chain is detected as well (``sanling audit
verify``). Entries written before chains existed form the start of the global chain.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    READ_CONTACT = "read_contact", _("Read contact data")
    AUTH = "auth", _("Authentication")  # logins, logouts, lockouts, password and 2FA changes


GLOBAL_CHAIN = "global"


class Source(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    CLI = "cli", _("Command line")
    SYSTEM = "system", _("System")


class AppendOnly(Exception):
    """Audit entries are never changed or deleted through the application."""


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk updates and deletes are refused like the single ones: nothing in the application rewrites or
    removes an entry (retention is by archiving a copy, ``sanling audit archive``)."""

    def update(self, **kwargs):
        raise AppendOnly("audit entries cannot be changed")

    def delete(self):
        raise AppendOnly("audit entries cannot be deleted")


class AuditEntry(models.Model):
    chain = models.CharField(_("chain"), max_length=20, default=GLOBAL_CHAIN)
    seq = models.PositiveBigIntegerField(_("sequence"))
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_constraint=False,  # the entry must outlive the account; the name is kept in actor_name
        db_index=False,  # entries are looked up by object, place and time, not by account id
        related_name="+",
    )
    actor_name = models.CharField(_("user name"), max_length=150, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    # What happened, in words, when it says more than the action: "subject.moved", "import.applied".
    verb = models.CharField(_("verb"), max_length=40, blank=True)
    object_type = models.CharField(_("object type"), max_length=40)
    object_key = models.CharField(_("object"), max_length=64)
    # The region path of the object, so an auditor sees the entries of their own subtree.
    region_path = models.CharField(_("region path"), max_length=255, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict)
    # How ``hash`` was made: "" for the unkeyed SHA-256 of entries written before the chain was keyed, else
    # "hmac-v1:<key id>" (HMAC-SHA256 under the audit key, sanling.audit.keys).
    scheme = models.CharField(_("hash scheme"), max_length=24, blank=True, default="")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_entry_seq_per_chain")]
        indexes = [
            models.Index(fields=["object_type", "object_key"]),
            models.Index(fields=["region_path"]),
            models.Index(fields=["at"]),
        ]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action} {self.object_type} {self.object_key}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("audit entries cannot be deleted")


class AuditHead(models.Model):
    """One row per chain: its last entry's sequence number and hash. Locking it orders that chain's appends."""

    chain = models.CharField(max_length=20, unique=True, default=GLOBAL_CHAIN)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.hash[:12]}"
