"""Writes of the monthly review: create one for a month (its figures frozen that day), refresh a draft,
write an item's 点评, finalise. A final review is read-only. Every write takes the writer's ``scope`` (None at
the shell and in the demo) and is audited; a refusal is a Chinese ValidationError and nothing is written."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.accounts.scope import Scope
from sanling.assessment.periods import parse_assessable
from sanling.audit.models import Action
from sanling.audit.services import audit_change, snapshot
from sanling.core.concurrency import lock_for_edit, save_next_version
from sanling.regions.models import Region

from .models import MonthlyReview, ReviewItem, ReviewStatus
from .selectors import REVIEW_LEVELS, ItemFigures, review_figures

FIGURE_FIELDS = (
    "name",
    "rank",
    "active",
    "compliant",
    "rate",
    "previous_rate",
    "change",
    "overdue",
    "backlog",
    "warnings_red",
    "warnings_orange",
    "assignments_total",
    "assignments_done",
    "assignments_overdue",
)


def check_may_review(scope: Scope | None, region: Region) -> None:
    """A review is written by someone who supervises (``scope.can_supervise``) the review's region."""
    if scope is None or scope.everything:
        return
    if not scope.can_supervise:
        raise ValidationError(_("Your role does not hold monthly reviews."))
    if scope.region is None or not region.path.startswith(scope.region.path):
        raise ValidationError({"region": _("This region is outside your area.")})


def check_draft(review: MonthlyReview) -> None:
    if review.is_final:
        raise ValidationError(_("This monthly review is final and can no longer be changed."))


def _store(review: MonthlyReview, figures: list[ItemFigures]) -> None:
    """Write ``figures`` onto the review's items: a known item keeps its note, a new one is added, one that
    is no longer there goes."""
    existing = {(item.kind, item.code): item for item in review.items.all()}
    seen = set()
    for row in figures:
        key = (row.kind, row.code)
        seen.add(key)
        item = existing.get(key) or ReviewItem(review=review, kind=row.kind, code=row.code)
        item.region = row.region
        item.department = row.department
        for name in FIGURE_FIELDS:
            setattr(item, name, getattr(row, name))
        item.save()
    gone = [item.pk for key, item in existing.items() if key not in seen]
    ReviewItem.objects.filter(pk__in=gone).delete()


@transaction.atomic
def review_create(
    *,
    region: Region,
    month: str,
    scope: Scope | None = None,
    user=None,
    today: datetime.date | None = None,
) -> MonthlyReview:
    """Hold the review of ``region`` (a county or a town) for ``month`` (2026-10): its towns (or villages) and
    departments ranked with their figures as they are now."""
    check_may_review(scope, region)
    today = today or timezone.localdate()
    if region.level not in REVIEW_LEVELS:
        raise ValidationError({"region": _("A monthly review is held for a county or a town.")})
    period = parse_assessable(month, today=today)
    if period.kind != "month":
        raise ValidationError({"month": _("Give a month, such as 2026-10.")})
    if MonthlyReview.objects.filter(region=region, month=period.key).exists():
        raise ValidationError(
            {
                "month": _("%(region)s already has a review of %(month)s.")
                % {"region": region.name, "month": period.key}
            }
        )
    day, regions, departments = review_figures(region=region, period=period, today=today)
    review = MonthlyReview(region=region, month=period.key, figures_on=day, created_by=user)
    review.full_clean()
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:  # another writer created it a moment ago
        raise ValidationError(
            {
                "month": _("%(region)s already has a review of %(month)s.")
                % {"region": region.name, "month": period.key}
            }
        ) from None
    _store(review, regions + departments)
    audit_change(Action.CREATE, after=review)
    return review


@transaction.atomic
def review_refresh(
    *, review: MonthlyReview, scope: Scope | None = None, today: datetime.date | None = None
) -> MonthlyReview:
    """Recompute a draft review's figures as they are today; the notes stay."""
    current = lock_for_edit(review, None)
    check_may_review(scope, current.region)
    check_draft(current)
    period = parse_assessable(current.month, today=today or timezone.localdate())
    day, regions, departments = review_figures(region=current.region, period=period, today=today)
    before = snapshot(current)
    _store(current, regions + departments)
    current.figures_on = day
    updated = save_next_version(current)
    audit_change(Action.UPDATE, before=before, after=updated, verb="monthly_review.refreshed")
    return updated


@transaction.atomic
def review_note(
    *, item: ReviewItem, note: str, version: int | None, scope: Scope | None = None
) -> ReviewItem:
    """Write the 点评 of one item; a stale ``version`` (someone else wrote it meanwhile) changes nothing."""
    current = lock_for_edit(item, version)
    review = MonthlyReview.objects.select_for_update().get(pk=current.review_id)
    check_may_review(scope, review.region)
    check_draft(review)
    before = snapshot(current)
    current.note = (note or "").strip()
    updated = save_next_version(current)
    audit_change(Action.UPDATE, before=before, after=updated)
    return updated


@transaction.atomic
def review_finalise(
    *, review: MonthlyReview, version: int | None = None, scope: Scope | None = None
) -> MonthlyReview:
    """Make a review final: from then on its figures and notes are read-only."""
    current = lock_for_edit(review, version)
    check_may_review(scope, current.region)
    check_draft(current)
    before = snapshot(current)
    current.status = ReviewStatus.FINAL
    current.finalised_at = timezone.now()
    updated = save_next_version(current)
    audit_change(Action.UPDATE, before=before, after=updated, verb="monthly_review.finalised")
    return updated
