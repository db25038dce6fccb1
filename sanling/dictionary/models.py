"""The data dictionary (数据字典): short lists of values a county maintains, such as dispute categories."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryType(models.TextChoices):
    DISPUTE_CATEGORY = "dispute_category", _("Dispute category")
    BACKLOG_CHECKLIST = "backlog_checklist", _("Backlog checklist (四定四包)")
    # Fieldwork (issue 15): each list is seeded by its app's data migration; a county edits them.
    POST_TYPE = "post_type", _("Grid post (网格岗位)")
    INSPECTION_TYPE = "inspection_type", _("Inspection type (四查, themed checks)")
    HAZARD_CATEGORY = "hazard_category", _("Hazard category")
    KEY_PERSON_CATEGORY = "key_person_category", _("Key-population category (重点人群)")
    VISIT_THEME = "visit_theme", _("Visit theme (六促六防 …)")
    DEFENCE_TYPE = "defence_type", _("Patrol type (四防)")
    MEETING_KIND = "meeting_kind", _("Meeting kind (510 …)")


class Entry(models.Model):
    """One value of a list: records store its ``code``; screens show its ``label``. A value no longer
    offered is disabled rather than deleted, so the records that carry it keep their meaning."""

    type = models.CharField(_("list"), max_length=32, choices=EntryType.choices)
    code = models.CharField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("dictionary entry")
        verbose_name_plural = _("dictionary entries")
        ordering = ["type", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["type", "code"], name="dictionary_entry_unique_code")]

    def __str__(self) -> str:
        return self.label
