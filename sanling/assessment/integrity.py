"""Rows the rollups cannot see, for ``recompute --check``.

Comparing the maintained rollups with a rebuild proves the live path right, but both read the same
placements and the same region paths: a subject without a placement counts in neither, so they agree and a
corrupt database would pass. These checks look for exactly what both sides would silently skip or misplace.
Each is one query (anti-joins on indexed columns), so the check stays cheap at a province's size.
"""

from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext as _

from sanling.disputes.models import Dispute
from sanling.events.models import Event
from sanling.regions.models import PATH_SEPARATOR, Region
from sanling.subjects.models import Subject, SubjectPlacement

# Enough examples to find the rows; the count says how many there are.
EXAMPLES = 20


def integrity_problems() -> list[str]:
    """One line per problem found, in the user's language (empty when every row can be counted)."""
    problems: list[str] = []
    for check in (
        _regions_with_stale_path,
        _subjects_without_current_placement,
        _placements_disagreeing_with_subject,
        _placement_history_gaps,
        _records_of_subjects_without_placement,
    ):
        problems.extend(check())
    return problems


def _report(message: str, labels: list[str], count: int) -> list[str]:
    if not count:
        return []
    shown = "、".join(labels[:EXAMPLES]) + ("…" if count > EXAMPLES else "")
    return [message % {"count": count, "examples": shown}]


def _regions_with_stale_path() -> list[str]:
    expected_path = Concat(F("parent__path"), F("code"), Value(PATH_SEPARATOR))
    stale = Region.objects.filter(
        Q(parent__isnull=False) & (~Q(path=expected_path) | ~Q(depth=F("parent__depth") + 1))
        | Q(parent__isnull=True)
        & (~Q(path=Concat(Value(PATH_SEPARATOR), F("code"), Value(PATH_SEPARATOR))) | ~Q(depth=0))
    )
    labels = [f"{name}（{code}）" for code, name in stale.values_list("code", "name")[:EXAMPLES]]
    return _report(
        _(
            "%(count)s regions have a stored path or depth that does not match their parent, so their "
            "figures roll up to the wrong ancestors: %(examples)s"
        ),
        labels,
        stale.count(),
    )


def _subject_labels(subjects) -> list[str]:
    return [f"{name}（{code}）" for code, name in subjects.values_list("code", "name")[:EXAMPLES]]


def _subjects_without_current_placement() -> list[str]:
    current = SubjectPlacement.objects.filter(subject=OuterRef("pk"), valid_to__isnull=True)
    missing = Subject.objects.filter(~Exists(current)).order_by("code")
    return _report(
        _("%(count)s subjects have no current placement, so no rate counts them: %(examples)s"),
        _subject_labels(missing),
        missing.count(),
    )


def _placements_disagreeing_with_subject() -> list[str]:
    differs = (
        ~Q(region=F("subject__region"))
        | Q(department__isnull=True, subject__department__isnull=False)
        | Q(department__isnull=False, subject__department__isnull=True)
        # Both set and different (a bare negation would also match where both are empty).
        | Q(department__isnull=False, subject__department__isnull=False)
        & ~Q(department=F("subject__department"))
    )
    wrong = SubjectPlacement.objects.filter(valid_to__isnull=True).filter(differs)
    subjects = Subject.objects.filter(pk__in=wrong.values("subject_id")).order_by("code")
    return _report(
        _(
            "%(count)s subjects are counted at a region or department other than the one they show: "
            "%(examples)s"
        ),
        _subject_labels(subjects),
        subjects.count(),
    )


def _placement_history_gaps() -> list[str]:
    """Placements must cover all time: the first open at the start, each next one starting the day the
    previous one ends. A gap is a stretch in which the subject counts nowhere."""
    siblings = SubjectPlacement.objects.filter(subject=OuterRef("subject_id"))
    no_predecessor = Q(valid_from__isnull=False) & ~Exists(siblings.filter(valid_to=OuterRef("valid_from")))
    no_successor = Q(valid_to__isnull=False) & ~Exists(siblings.filter(valid_from=OuterRef("valid_to")))
    broken = SubjectPlacement.objects.filter(no_predecessor | no_successor)
    subjects = Subject.objects.filter(pk__in=broken.values("subject_id")).order_by("code")
    return _report(
        _(
            "%(count)s subjects have gaps in their placement history, periods in which no rate counts "
            "them: %(examples)s"
        ),
        _subject_labels(subjects),
        subjects.count(),
    )


def _records_of_subjects_without_placement() -> list[str]:
    placed = SubjectPlacement.objects.filter(subject=OuterRef("subject_id"))
    problems = []
    for model, message in (
        (
            Event,
            _("%(count)s events belong to subjects without any placement and count nowhere: %(examples)s"),
        ),
        (
            Dispute,
            _("%(count)s disputes belong to subjects without any placement and count nowhere: %(examples)s"),
        ),
    ):
        unseen = model.objects.filter(~Exists(placed)).order_by("ref")
        refs = list(unseen.values_list("ref", flat=True)[:EXAMPLES])
        problems += _report(message, refs, unseen.count())
    return problems
