"""Reads of work items: the deadline rules that apply to a place."""

from django.utils.translation import gettext_lazy as _

from sanling.regions.models import codes_in_path

from .models import DeadlineRuleSet, TimelineEntry, WorkItem


def rule_set_for(subject) -> DeadlineRuleSet:
    """The rule set the subject's county chose, else the deployment's default, else the 《信访工作条例》
    preset's values (an unsaved set, so a fresh database still has deadlines)."""
    codes = codes_in_path(subject.region.path)
    chosen = DeadlineRuleSet.objects.filter(counties__code__in=codes).order_by("code").first()
    return (
        chosen
        or DeadlineRuleSet.objects.filter(is_default=True).order_by("code").first()
        or DeadlineRuleSet(code="regulation-2022", name="《信访工作条例》")
    )


# What each timeline action is called on screen (actions the domains record with ``work_item_step``).
ACTION_LABELS = {
    "register": _("Case registered"),
    "mediate": _("Mediation started"),
    "escalate": _("Escalated"),
    "resolve": _("Resolved"),
    "fail": _("Mediation failed"),
    "to_petition": _("Turned into a petition"),
    "to_litigation": _("Turned to litigation or arbitration"),
    "follow_up": _("Follow-up visit"),
    "receive": _("Received as a petition"),
    "accept": _("Accepted and notified"),
    "extend": _("Extended"),
    "reply": _("Replied"),
    "review": _("Review"),
    "conclude": _("Concluded"),
    "flag_backlog": _("Put on the backlog ledger"),
    "edit": _("Record corrected"),
}


def step_label(kind: str, step: str) -> str:
    """The label of a step code of a work item's domain."""
    from sanling.disputes.models import DisputeStatus
    from sanling.petitions.models import AgencyStep, PetitionStep

    choices = {"dispute": DisputeStatus, "petition": PetitionStep, "agency": AgencyStep}.get(kind)
    if choices is None or not step:
        return step
    try:
        return str(choices(step).label)
    except ValueError:  # a dispute's step on a case that has since become a petition
        for other in (DisputeStatus, PetitionStep, AgencyStep):
            if step in other.values:
                return str(other(step).label)
        return step


def timeline_of(item: WorkItem) -> list[TimelineEntry]:
    """The entries of ``item`` in order, each with ``action_label``, ``from_label`` and ``to_label`` for screens."""
    entries = list(item.timeline.select_related("actor", "organisation").order_by("on", "at", "pk"))
    for entry in entries:
        entry.action_label = str(ACTION_LABELS.get(entry.action, entry.action))
        entry.from_label = step_label(item.kind, entry.from_step)
        entry.to_label = step_label(item.kind, entry.to_step)
    return entries
