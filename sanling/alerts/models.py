"""四色预警 (issue 16): warning rules as versioned data.

The seeds name the mechanism ("推行蓝、黄、橙、红“四色预警”机制，分级分类进行差异化管理、动态化管控", 中站区) but
not its rules: every rule, threshold and consequence here is data a county edits, and the default rule set
(written by migration 0002, restored by ``conditions.default_rule_set_restore``) is ours, not the seeds'.

A ``RuleSet`` is one version of the rules, in force from ``valid_from`` to ``valid_to`` (open-ended when
empty); versions may not overlap. Its ``Rule`` rows give a subject a colour when their condition (from the
registry in ``conditions.py``) holds; its ``Consequence`` rows say, per colour, who is told, how often the
subject is checked and what happens; its ``RegionThreshold`` rows colour a region when its group's 达标率 is
below a value. ``WatchEntry`` is the 关注名单 the blue rule reads.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanling.subjects.models import Group, Subject


class Colour(models.TextChoices):
    """Most severe first (``selectors.COLOURS`` is the same order)."""

    RED = "red", pgettext_lazy("warning colour", "Red")
    ORANGE = "orange", pgettext_lazy("warning colour", "Orange")
    YELLOW = "yellow", pgettext_lazy("warning colour", "Yellow")
    BLUE = "blue", pgettext_lazy("warning colour", "Blue")


COLOUR_NAMES = {"red": "红色", "orange": "橙色", "yellow": "黄色", "blue": "蓝色"}
SEVERITY = {colour: rank for rank, colour in enumerate(Colour.values)}


class RuleSet(models.Model):
    """One version of the warning rules, in force from ``valid_from`` through ``valid_to`` (or on)."""

    name = models.CharField(_("name"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("warning rule set")
        verbose_name_plural = _("warning rule sets")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "—"
        return f"{self.name}（{self.valid_from.isoformat()} 至 {end}）"

    def covers(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Rule(models.Model):
    """When ``condition`` (a name in ``conditions.CONDITIONS``) holds for a subject with ``parameters``, the
    subject is ``colour``; ``label`` is shown as the reason, before the condition's own detail."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    colour = models.CharField(_("colour"), max_length=8, choices=Colour.choices)
    condition = models.CharField(_("condition"), max_length=40)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    label = models.CharField(_("label"), max_length=100)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("warning rule")
        verbose_name_plural = _("warning rules")
        ordering = ["rule_set", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_colour_display()}: {self.label}"


class Consequence(models.Model):
    """What a colour means under a rule set: who is told, how often the subject is checked, what happens."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="consequences")
    colour = models.CharField(_("colour"), max_length=8, choices=Colour.choices)
    who = models.CharField(_("who is told"), max_length=200)
    roles = models.JSONField(_("roles told"), default=list, blank=True)
    check_every_days = models.PositiveSmallIntegerField(_("checked every (days)"))
    action = models.CharField(_("what happens"), max_length=500)

    class Meta:
        verbose_name = _("warning consequence")
        verbose_name_plural = _("warning consequences")
        ordering = ["rule_set", "colour"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "colour"], name="alerts_consequence_colour_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_colour_display()}: {self.who}"


class RegionThreshold(models.Model):
    """A region is ``colour`` when its ``group``'s 达标率 is below ``below`` (the most severe such colour)."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="thresholds")
    group = models.CharField(_("group"), max_length=10, choices=Group.choices)
    colour = models.CharField(_("colour"), max_length=8, choices=Colour.choices)
    below = models.DecimalField(_("below (%)"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("region threshold")
        verbose_name_plural = _("region thresholds")
        ordering = ["rule_set", "group", "below"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "group", "colour"], name="alerts_threshold_group_colour_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_group_display()} {self.get_colour_display()} < {self.below}%"


class WatchEntry(models.Model):
    """A subject on the 关注名单 from ``since`` through ``until`` (or on), and why."""

    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.CASCADE, related_name="watch_entries"
    )
    reason = models.CharField(_("reason"), max_length=200)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("watch-list entry")
        verbose_name_plural = _("watch-list entries")
        ordering = ["-since", "pk"]
        indexes = [models.Index(fields=["since"], name="alerts_watch_since")]

    def __str__(self) -> str:
        return f"{self.subject_id} {self.reason}"
