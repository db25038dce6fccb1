"""Reads of reports: which a user may open, which were sent to them, who they go to and who has read them."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from sanling.accounts.models import Role
from sanling.accounts.scope import Scope
from sanling.regions.models import Region, codes_in_path

from .models import Audience, Distribution, Report


def reports_for(scope: Scope) -> QuerySet[Report]:
    """The reports ``scope``'s user may open: those sent to them, those they asked for, and — for a user of a
    region (not a department: a report shows every unit of its region) — those of regions in their subtree."""
    reports = Report.objects.select_related("region", "requested_by")
    if scope.everything:
        return reports
    if scope.user_id is None:
        return reports.none()
    condition = Q(distributions__recipient_id=scope.user_id) | Q(requested_by_id=scope.user_id)
    if scope.sees_business_data and scope.region is not None and scope.department is None:
        condition |= Q(region__path__startswith=scope.region.path)
    return reports.filter(pk__in=Report.objects.filter(condition).values("pk"))


def reports_sent_to(user) -> QuerySet[Distribution]:
    """The reports sent to ``user`` ("reports for me"), newest first, with whether they have been read."""
    return (
        Distribution.objects.filter(recipient=user)
        .select_related("report__region", "sent_by")
        .order_by("-sent_at", "-pk")
    )


def receipts(report: Report) -> list[Distribution]:
    """Every recipient of ``report`` with when they read it (None: not yet), by audience then name."""
    return list(
        report.distributions.select_related("recipient", "sent_by").order_by(
            "audience", "recipient__username"
        )
    )


def report_path(report: Report) -> Path | None:
    """The file of a ready report, if it is still there."""
    from .services import reports_dir

    if not report.file:
        return None
    path = reports_dir() / Path(report.file).name
    return path if path.is_file() else None


def audience_users(region: Region, audience: str) -> QuerySet:
    """The active accounts a report of ``region`` goes to for ``audience``: the leaders (read-only accounts)
    of the region or a region above it (区委、区政府领导), the departments' users (区直部门), the operators
    of the region's towns (街道办事处: its children's, or its own if it is a town)."""
    users = get_user_model().objects.filter(is_active=True).select_related("profile").order_by("username")
    if audience == Audience.LEADERS:
        return users.filter(profile__role=Role.VIEWER, profile__region__code__in=codes_in_path(region.path))
    if audience == Audience.DEPARTMENTS:
        return users.filter(profile__role=Role.DEPARTMENT_USER, profile__department__isnull=False)
    if audience == Audience.TOWNS:
        towns = Q(profile__region__parent=region) if region.level != "town" else Q(profile__region=region)
        return users.filter(towns, profile__role=Role.TOWN_OPERATOR)
    return users.none()
