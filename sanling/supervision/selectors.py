"""Reads of 督查 and the 四函 ladder."""

import datetime
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from sanling.assessment.periods import Period
from sanling.regions.models import Region, subtree_q

# The ladder, in order: the n-th finding in the window proposes the n-th letter.
LETTER_KINDS = ("reminder", "notice", "interview", "accountability")  # 提醒函, 通报, 约谈, 问责


def visits_for(scope) -> QuerySet:
    """Visits a user may open: made by their region's subtree or their department, or with a finding on a
    subject in their scope (a county visit to two towns is seen by both, each its own findings)."""
    from .models import SupervisionVisit

    if scope.everything:
        return SupervisionVisit.objects.all()
    if not scope.sees_business_data:
        return SupervisionVisit.objects.none()
    condition = Q(pk__in=SupervisionVisit.objects.filter(scope.subject_q("findings__subject__")).values("pk"))
    if scope.region is not None and scope.department is None:
        condition |= subtree_q(scope.region.path, via="region__")
    if scope.department is not None:
        condition |= Q(department=scope.department)
    return SupervisionVisit.objects.filter(condition)


def findings_for(scope) -> QuerySet:
    from .models import Finding

    return Finding.objects.filter(scope.subject_q("subject__"))


def letters_for(scope) -> QuerySet:
    """Letters about subjects in the user's scope, and those sent to an organisation the user belongs to."""
    from .models import Letter

    if scope.everything:
        return Letter.objects.all()
    condition = scope.subject_q("subject__")
    if scope.user_id is not None and scope.sees_business_data:
        condition |= Q(
            pk__in=Letter.objects.filter(
                Q(sent_to__members__id=scope.user_id) | Q(sent_to__head_id=scope.user_id)
            ).values("pk")
        )
    return Letter.objects.filter(condition)


def overdue_q(today: datetime.date) -> Q:
    """Issued letters whose answer is past due and not given."""
    return Q(status="issued", response_due__lt=today, responded_at__isnull=True)


@dataclass
class LadderState:
    """Where a subject stands: its current run (if a finding within the window is still live), its letters."""

    run_start: datetime.date | None
    findings: int
    next_kind: str
    window_days: int
    live_until: datetime.date | None
    letters: list = field(default_factory=list)


def ladder_state(subject, *, today: datetime.date | None = None) -> LadderState:
    """The subject's ladder: the run its next finding would continue (or none if the last finding is older
    than the window), which letter that finding would propose, and every letter so far, newest first."""
    from .models import Finding, Letter
    from .services import county_of, kind_for, policy_for

    today = today or timezone.localdate()
    window = policy_for(county_of(subject.region)).window_days
    last = Finding.objects.filter(subject=subject).order_by("-found_on", "-pk").first()
    letters = list(
        Letter.objects.filter(subject=subject).select_related("sent_to").order_by("-run_start", "-ordinal")
    )
    for letter in letters:
        letter.overdue = letter.is_overdue(today)
    if last is None or (today - last.found_on).days > window:
        return LadderState(None, 0, kind_for(1), window, None, letters)
    return LadderState(
        last.run_start,
        last.ordinal,
        kind_for(last.ordinal + 1),
        window,
        last.found_on + datetime.timedelta(days=window),
        letters,
    )


def letter_figures(*, region: Region, period: Period) -> dict[str, dict[str, int]]:
    """Per letter kind, letters about subjects in ``region``'s subtree in ``period``: proposed (its finding
    in the period), issued, declined and acknowledged (that step in the period), and overdue (issued, its
    answer due in the period before today, and not answered by the due date)."""
    from .models import Letter, LetterStatus

    today = timezone.localdate()
    letters = Letter.objects.filter(subtree_q(region.path, via="subject__region__"))
    figures = {}
    for kind in LETTER_KINDS:
        of_kind = letters.filter(kind=kind)
        late = of_kind.filter(
            status=LetterStatus.ISSUED, response_due__range=(period.start, period.end), response_due__lt=today
        )
        figures[kind] = {
            "proposed": of_kind.filter(proposed_on__range=(period.start, period.end)).count(),
            "issued": of_kind.filter(
                status=LetterStatus.ISSUED, decided_at__date__range=(period.start, period.end)
            ).count(),
            "declined": of_kind.filter(
                status=LetterStatus.DECLINED, decided_at__date__range=(period.start, period.end)
            ).count(),
            "acknowledged": of_kind.filter(acknowledged_at__date__range=(period.start, period.end)).count(),
            "overdue": sum(1 for letter in late if letter.is_overdue(today)),
        }
    return figures


def my_letters(user, *, scope, limit: int = 50) -> list:
    """The letters waiting for ``user`` (我的待办): those sent to an organisation they head or belong to and not
    yet answered, and — for those who decide (``can_supervise``) — the proposals in their scope not yet issued
    or declined. Answers due soonest first, then proposals oldest first."""

    if not getattr(user, "is_authenticated", False) or not scope.sees_business_data:
        return []
    waiting = Q(status="issued", responded_at__isnull=True) & (
        Q(sent_to__members=user) | Q(sent_to__head=user)
    )
    if scope.can_supervise:
        waiting |= Q(status="proposed") & scope.subject_q("subject__")
    # Issued letters have an answer due, proposals none: answers due soonest first, then proposals oldest first.
    rows = letters_for(scope).filter(waiting).select_related("subject", "sent_to").distinct()
    return list(rows.order_by(F("response_due").asc(nulls_last=True), "proposed_on", "ref")[:limit])
