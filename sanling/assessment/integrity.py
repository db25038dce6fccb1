"""Rows the rollups cannot see, for ``recompute --check``.

Comparing the maintained rollups with a rebuild proves the live path right, but both read the same
placements and the same region paths: a subject without a placement counts in neither, so they agree and a
corrupt database would pass. These checks look for exactly what both sides would silently skip or misplace.
On a clean database each is one query (anti-joins on indexed columns): about 2 s in all at tier M.
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


def _report(message: str, rows, label) -> list[str]:
    """The message for the rows of ``rows`` (a queryset), with the first few labelled; none if it is empty.

    The examples are read first: on a clean database that one query is the whole cost, and the rows are
    counted only when there are more of them than are shown."""
    examples = [label(row) for row in rows[: EXAMPLES + 1]]
    if not examples:
        return []
    count = len(examples) if len(examples) <= EXAMPLES else rows.count()
    shown = "、".join(examples[:EXAMPLES]) + ("…" if count > EXAMPLES else "")
    return [message % {"count": count, "examples": shown}]


def _code_and_name(row) -> str:
    return f"{row[1]}（{row[0]}）"


def _regions_with_stale_path() -> list[str]:
    expected_path = Concat(F("parent__path"), F("code"), Value(PATH_SEPARATOR))
    stale = Region.objects.filter(
        Q(parent__isnull=False) & (~Q(path=expected_path) | ~Q(depth=F("parent__depth") + 1))
        | Q(parent__isnull=True)
        & (~Q(path=Concat(Value(PATH_SEPARATOR), F("code"), Value(PATH_SEPARATOR))) | ~Q(depth=0))
    )
    return _report(
        _(
            "%(count)s regions have a stored path or depth that does not match their parent, so their "
            "figures roll up to the wrong ancestors: %(examples)s"
        ),
        stale.values_list("code", "name").order_by(),
        _code_and_name,
    )


def _subjects_without_current_placement() -> list[str]:
    current = SubjectPlacement.objects.filter(subject=OuterRef("pk"), valid_to__isnull=True)
    return _report(
        _("%(count)s subjects have no current placement, so no rate counts them: %(examples)s"),
        Subject.objects.filter(~Exists(current)).values_list("code", "name").order_by(),
        _code_and_name,
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
    # At most one open placement per subject (a constraint), so placements and subjects count alike.
    wrong = SubjectPlacement.objects.filter(valid_to__isnull=True).filter(differs)
    return _report(
        _(
            "%(count)s subjects are counted at a region or department other than the one they show: "
            "%(examples)s"
        ),
        wrong.values_list("subject__code", "subject__name").order_by(),
        _code_and_name,
    )


def _placement_history_gaps() -> list[str]:
    """Placements must cover all time: the first open at the start, each next one starting the day the
    previous one ends. A gap is a stretch in which the subject counts nowhere."""
    siblings = SubjectPlacement.objects.filter(subject=OuterRef("subject_id"))
    no_predecessor = Q(valid_from__isnull=False) & ~Exists(siblings.filter(valid_to=OuterRef("valid_from")))
    no_successor = Q(valid_to__isnull=False) & ~Exists(siblings.filter(valid_from=OuterRef("valid_to")))
    broken = SubjectPlacement.objects.filter(no_predecessor | no_successor)
    return _report(
        _(
            "%(count)s subjects have gaps in their placement history, periods in which no rate counts "
            "them: %(examples)s"
        ),
        broken.values_list("subject__code", "subject__name").order_by().distinct(),
        _code_and_name,
    )


def _records_of_subjects_without_placement() -> list[str]:
    """Events and disputes of subjects with no placement at all. Such subjects are looked up first (there
    are normally none), rather than probing the placements once per event of a province."""
    unplaced = Subject.objects.filter(~Exists(SubjectPlacement.objects.filter(subject=OuterRef("pk"))))
    if not unplaced.exists():
        return []
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
        unseen = (
            model.objects.filter(subject_id__in=unplaced.values("pk"))
            .values_list("ref", flat=True)
            .order_by()
        )
        problems += _report(message, unseen, str)
    return problems
