"""Writes of key persons and their visits. Every writer (pages, API, importer, demo) comes here.

浉河区: "对精神障碍患者、社区矫正人员等，要做到逐人见面，回访排查". A visit sets the next one due (its date plus the
frequency of the person's category and risk level, calendar months clamped at a month's end); a change of
category or risk level reschedules the next visit from the last one; a person no longer managed closes their
work item. Each write checks the actor's scope (``actor=None`` is the operator's shell or the demo), validates,
and writes the audit entry in the same transaction.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sanling.accounts.scope import EVERYTHING, Scope, scope_for
from sanling.audit.models import Action
from sanling.audit.services import audit_change, snapshot
from sanling.core.concurrency import lock_for_edit, save_next_version
from sanling.dictionary.models import Entry, EntryType
from sanling.dictionary.services import check_choice
from sanling.events.services import new_ref
from sanling.personal.fields import blind_q, masked
from sanling.regions.models import Region, codes_in_path
from sanling.subjects.models import VILLAGE_KINDS, Subject
from sanling.work.attachments import attachment_add, is_image, sniff_content_type
from sanling.work.deadlines import PeriodUnit, add_period
from sanling.work.models import WorkItem, WorkKind
from sanling.work.services import last_step_on, work_item_open, work_item_step

from .models import KeyPerson, KeyPersonVisit, KeyVisitStep, RiskLevel, VisitFrequency

# When no row of VisitFrequency applies (a category added later, a fresh database): ours, not the seeds'.
FALLBACK_FREQUENCY = {
    RiskLevel.HIGH: (7, PeriodUnit.DAYS),
    RiskLevel.MEDIUM: (1, PeriodUnit.MONTHS),
    RiskLevel.LOW: (3, PeriodUnit.MONTHS),
}


# ---- places, scope and schedule -------------------------------------------------------------------------


def scope_of(actor) -> Scope:
    return EVERYTHING if actor is None else scope_for(actor)


def covers(scope: Scope, region: Region) -> bool:
    """Whether ``region`` lies in the places ``scope`` holds (``Scope.region_q``: department users hold none)."""
    if scope.everything:
        return True
    if not scope.sees_business_data or scope.region is None:
        return False
    return region.path.startswith(scope.region.path)


def require_writer(scope: Scope, region: Region, *, field: str = "region") -> None:
    if not scope.can_write:
        raise PermissionDenied(_("Your role may not change key-population records."))
    if not covers(scope, region):
        raise ValidationError({field: _("This place is outside your area; choose one in your area.")})


def village_of(region: Region) -> Region | None:
    """The village or community ``region`` lies in (itself, or the nearest village above a grid or 楼宇)."""
    if region.level == "village":
        return region
    return (
        Region.objects.filter(code__in=codes_in_path(region.path), level="village").order_by("-depth").first()
    )


def village_subject(region: Region) -> Subject:
    """The 村社区 subject of ``region``'s village: the subject a key person's work item is filed under."""
    village = village_of(region)
    subject = (
        Subject.objects.filter(region=village, kind__in=VILLAGE_KINDS).first()
        if village is not None
        else None
    )
    if subject is None:
        raise ValidationError(
            {"region": _("This village or community is not registered as a subject yet; register it first.")}
        )
    return subject


def case_organisation(region: Region, post=None):
    """The organisation a key person's work item is filed under (我的待办, the overdue lists): the 综治中心 of
    their village (the responsible post's village, which is theirs), None where no such organisation is
    registered."""
    from sanling.organisations.models import OrganisationKind
    from sanling.organisations.selectors import organisation_at

    place = post.region if post is not None else region
    return organisation_at(place.path, "village", (OrganisationKind.COMPREHENSIVE_CENTRE,))


def frequency_of(*, region: Region, category: str, risk_level: str) -> tuple[int, str]:
    """(amount, unit) of the visits a person of ``category`` and ``risk_level`` in ``region`` needs: the
    county's own row, else the default row, else ``FALLBACK_FREQUENCY``."""
    rows = VisitFrequency.objects.filter(category=category, risk_level=risk_level)
    chosen = (
        rows.filter(county__code__in=codes_in_path(region.path)).first()
        or rows.filter(county__isnull=True).first()
    )
    if chosen is not None:
        return chosen.amount, chosen.unit
    return FALLBACK_FREQUENCY[RiskLevel(risk_level)]


def next_visit_due(*, person: KeyPerson, after: datetime.date) -> datetime.date:
    """The day the visit after one on ``after`` is due (calendar months clamp: 01-31 + 1 month = 02-28/29)."""
    amount, unit = frequency_of(region=person.region, category=person.category, risk_level=person.risk_level)
    return add_period(after, amount, unit)


def last_visit_on(person: KeyPerson) -> datetime.date | None:
    return person.visits.order_by("-visited_on").values_list("visited_on", flat=True).first()


def category_labels() -> dict[str, str]:
    """code -> label of every category (disabled ones too: old records keep their meaning), in one query."""
    return dict(Entry.objects.filter(type=EntryType.KEY_PERSON_CATEGORY).values_list("code", "label"))


def category_label(code: str) -> str:
    label = (
        Entry.objects.filter(type=EntryType.KEY_PERSON_CATEGORY, code=code)
        .values_list("label", flat=True)
        .first()
    )
    return label or code


def case_title(person: KeyPerson) -> str:
    """The work item's title, as 我的待办 shows it: the category and the masked name, never the name."""
    return _("Visit %(category)s %(name)s") % {
        "category": category_label(person.category),
        "name": masked(person, "name"),
    }


def _check_duplicate(person: KeyPerson, scope: Scope) -> None:
    """One person, one record, without telling anyone about a person outside their area (PIPL).

    An ID number already registered *in the writer's area* is refused in clear (found through its blind
    index). One registered only outside it is not mentioned: the record is saved, and the pair shows as a
    cross-area duplicate (``selectors.cross_area_duplicates``) to a user whose area holds both records, who
    reconciles it. A town writer can thus not test an ID number for being a key person of another town."""
    if not person.id_number:
        return
    others = KeyPerson.objects.filter(blind_q(KeyPerson, "id_number", person.id_number))
    if person.pk:
        others = others.exclude(pk=person.pk)
    if not scope.everything:
        others = others.filter(scope.region_q()) if covers(scope, person.region) else others.none()
    if others.exists():
        raise ValidationError({"id_number": _("A key person with this ID number is already registered.")})


def _check_handler(scope: Scope, handler) -> None:
    if handler is not None and not handler.is_active:
        raise ValidationError({"handler": pgettext("key people", "This account is disabled.")})


def _check_post(scope: Scope, post, region: Region) -> None:
    """The responsible post is held today, in the actor's area, in the person's village."""
    if post is None:
        return
    from sanling.grids.selectors import active_q

    if not type(post).objects.filter(active_q(timezone.localdate()), pk=post.pk).exists():
        raise ValidationError({"post": _("This post is not held today.")})
    if not covers(scope, post.region) or village_of(post.region) != village_of(region):
        raise ValidationError(
            {"post": _("The responsible post must be in the person's village or community.")}
        )


def _responsible(post, handler):
    """Who works the visits: the worker named, else the post's login."""
    return handler if handler is not None else (post.user if post is not None else None)


def visiting_post(actor, person: KeyPerson):
    """The post ``actor`` visits ``person`` as: theirs in the person's village today, the person's own first."""
    if actor is None:
        return None
    from sanling.grids.selectors import posts_of_user

    posts = list(posts_of_user(actor))
    village = village_of(person.region)
    for post in sorted(posts, key=lambda p: p.pk != person.post_id):
        if village_of(post.region) == village:
            return post
    return None


# ---- key persons ----------------------------------------------------------------------------------------


@transaction.atomic
def key_person_create(
    *,
    actor,
    region: Region,
    category: str,
    name: str,
    risk_level: str = RiskLevel.MEDIUM,
    id_number: str = "",
    phone: str = "",
    address: str = "",
    post=None,
    handler=None,
    registered_on: datetime.date | None = None,
    note: str = "",
    ref: str = "",
) -> KeyPerson:
    """Register a key person in ``region`` and open their work item, due a frequency after registration."""
    scope = scope_of(actor)
    require_writer(scope, region)
    check_choice(EntryType.KEY_PERSON_CATEGORY, category, field="category")
    if not category:
        raise ValidationError({"category": pgettext("key people", "Choose a category.")})
    registered_on = registered_on or timezone.localdate()
    if registered_on > timezone.localdate():
        raise ValidationError({"registered_on": pgettext("key people", "The date cannot be in the future.")})
    person = KeyPerson(
        ref=ref or new_ref("KP"),
        region=region,
        category=category,
        risk_level=risk_level,
        name=name.strip(),
        id_number=(id_number or "").strip().upper(),
        phone=(phone or "").strip(),
        address=(address or "").strip(),
        post=post,
        handler=_responsible(post, handler),
        registered_on=registered_on,
        note=note,
    )
    person.full_clean(exclude=["case"])
    _check_duplicate(person, scope)
    _check_handler(scope, person.handler)
    _check_post(scope, post, region)
    if WorkItem.objects.filter(ref=person.ref).exists():
        raise ValidationError({"ref": _("This reference or code cannot be used; choose another.")})
    person.case = work_item_open(
        ref=person.ref,
        kind=WorkKind.KEY_VISIT,
        subject=village_subject(region),
        title=case_title(person),
        step=KeyVisitStep.DUE,
        opened_on=registered_on,
        due_on=next_visit_due(person=person, after=registered_on),
        organisation=case_organisation(region, post),
        handler=person.handler,
    )
    person.save()
    audit_change(Action.CREATE, after=person)
    return person


def _case_follow(person: KeyPerson, *, reschedule: bool) -> None:
    """Bring the work item in line with its person (subject, title, handler and, when asked, the next due
    date counted from the last visit or the registration), audited as the item's change; no timeline entry,
    so a visit recorded later may still be dated before today."""
    item = WorkItem.objects.select_for_update().get(pk=person.case_id)
    before = snapshot(item)
    item.subject = village_subject(person.region)
    item.title = case_title(person)
    item.handler = person.handler
    item.organisation = case_organisation(person.region, person.post) or item.organisation
    if reschedule and item.closed_on is None:
        item.due_on = next_visit_due(person=person, after=last_visit_on(person) or person.registered_on)
    save_next_version(item)
    audit_change(Action.UPDATE, before=before, after=item, verb="key_person.rescheduled")


@transaction.atomic
def key_person_update(
    *,
    actor,
    person: KeyPerson,
    version: int | None,
    region: Region,
    category: str,
    risk_level: str,
    name: str,
    id_number: str = "",
    phone: str = "",
    address: str = "",
    post=None,
    handler=None,
    note: str = "",
) -> KeyPerson:
    """Change a key person; a new category or risk level reschedules their next visit (from the last visit).
    A stale ``version`` changes nothing (``StaleVersion``)."""
    scope = scope_of(actor)
    require_writer(scope, person.region)
    require_writer(scope, region)
    current = lock_for_edit(person, version)
    check_choice(EntryType.KEY_PERSON_CATEGORY, category, field="category", stored=current.category)
    before = snapshot(current)
    reschedule = (category, risk_level, region.pk) != (
        current.category,
        current.risk_level,
        current.region_id,
    )
    current.region = region
    current.category = category
    current.risk_level = risk_level
    current.name = name.strip()
    current.id_number = (id_number or "").strip().upper()
    current.phone = (phone or "").strip()
    current.address = (address or "").strip()
    if post is not None and post.pk != current.post_id:
        _check_post(scope, post, region)
    current.post = post
    current.handler = _responsible(post, handler)
    current.note = note
    _check_duplicate(current, scope)
    _check_handler(scope, current.handler)
    save_next_version(current)
    _case_follow(current, reschedule=reschedule)
    audit_change(Action.UPDATE, before=before, after=current)
    return current


@transaction.atomic
def key_person_release(*, actor, person: KeyPerson, on: datetime.date, reason: str) -> KeyPerson:
    """No longer managed (解除列管: 矫正期满, 康复, 迁出 …): the work item closes, so no visit falls due."""
    require_writer(scope_of(actor), person.region)
    if not person.active:
        return person
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the person is no longer managed.")})
    work_item_step(
        person.case, action="key_release", on=on, to_step=KeyVisitStep.RELEASED, note=reason, closed=True
    )
    before = snapshot(person)
    person.active = False
    save_next_version(person)
    audit_change(Action.UPDATE, before=before, after=person, verb="key_person.released")
    return person


# ---- visits ---------------------------------------------------------------------------------------------


def check_photo(photo) -> None:
    """A visit's photo is an image by its first bytes (JPEG, PNG, WebP, HEIC), not a PDF nor anything else."""
    if photo is None:
        return
    photo.seek(0)
    head = photo.read(64)
    photo.seek(0)
    if not is_image(sniff_content_type(head) or ""):
        raise ValidationError({"photo": _("The photo must be an image (JPEG, PNG, WebP or HEIC).")})


@transaction.atomic
def key_person_visit_record(
    *,
    actor,
    person: KeyPerson,
    visited_on: datetime.date,
    face_to_face: bool = True,
    place: str = "",
    findings: str = "",
    photo=None,
) -> KeyPersonVisit:
    """Record a visit: not in the future, not before the previous one, to a person in the actor's area;
    sets the next visit due (``visited_on`` plus the frequency). A photo must be an image. Any refusal
    writes nothing."""
    scope = scope_of(actor)
    if not covers(scope, person.region):
        raise PermissionDenied(_("This key person is outside your area."))
    require_writer(scope, person.region, field="person")
    person = KeyPerson.objects.select_for_update().select_related("region", "case").get(pk=person.pk)
    if not person.active:
        raise ValidationError({"visited_on": _("This person is no longer managed; no visit is due.")})
    if visited_on is None:
        raise ValidationError({"visited_on": _("Give the date of the visit.")})
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("A visit cannot be dated in the future.")})
    previous = max(filter(None, [last_visit_on(person), last_step_on(person.case)]), default=None)
    if previous is not None and visited_on < previous:
        raise ValidationError(
            {
                "visited_on": _("A visit cannot be dated before the previous one (%(date)s).")
                % {"date": previous}
            }
        )
    check_photo(photo)
    was_due_on = person.case.due_on
    next_due = next_visit_due(person=person, after=visited_on)
    visit = KeyPersonVisit(
        person=person,
        visited_on=visited_on,
        face_to_face=face_to_face,
        place=place.strip(),
        findings=findings.strip(),
        visitor=actor,
        post=visiting_post(actor, person),
        was_due_on=was_due_on,
        next_due_on=next_due,
    )
    visit.full_clean()
    visit.save()
    entry = work_item_step(
        person.case,
        action="key_visit",
        on=visited_on,
        to_step=KeyVisitStep.DUE,
        due_on=next_due,
        note=str(
            pgettext("key people", "Face to face")
            if face_to_face
            else pgettext("key people", "Not face to face")
        ),
        details={"visit": visit.pk, "face_to_face": face_to_face, "next_due_on": next_due.isoformat()},
    )
    if photo is not None:
        # The phone's file name may carry the person's name: the stored one is ours.
        extension = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}.get(
            sniff_content_type(photo.read(64)) or "", ".heic"
        )
        photo.seek(0)
        photo.name = f"visit-{visited_on:%Y%m%d}{extension}"
        attachment_add(item=person.case, upload=photo, entry=entry)
    audit_change(Action.CREATE, after=visit)
    return visit


# ---- frequencies ----------------------------------------------------------------------------------------


def county_of(scope: Scope) -> Region | None:
    """The county a user works in (their region's county-level ancestor, or the region itself)."""
    if scope.region is None:
        return None
    if scope.region.level == "county":
        return scope.region
    return Region.objects.filter(code__in=codes_in_path(scope.region.path), level="county").first()


def frequency_table(county: Region | None) -> list[dict]:
    """Every enabled category × risk level with the frequency that applies in ``county`` and whether it is
    the county's own row."""
    rows = []
    own = (
        {(row.category, row.risk_level): row for row in VisitFrequency.objects.filter(county=county)}
        if county is not None
        else {}
    )
    defaults = {
        (row.category, row.risk_level): row for row in VisitFrequency.objects.filter(county__isnull=True)
    }
    categories = Entry.objects.filter(type=EntryType.KEY_PERSON_CATEGORY, enabled=True).order_by(
        "order", "code"
    )
    for entry in categories:
        for risk in (RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW):
            row = own.get((entry.code, risk)) or defaults.get((entry.code, risk))
            amount, unit = (row.amount, row.unit) if row else FALLBACK_FREQUENCY[risk]
            rows.append(
                {
                    "category": entry.code,
                    "category_label": entry.label,
                    "risk_level": risk,
                    "risk_label": risk.label,
                    "amount": amount,
                    "unit": unit,
                    "own": (entry.code, risk) in own,
                }
            )
    return rows


@transaction.atomic
def visit_frequency_set(
    *, actor, county: Region | None, category: str, risk_level: str, amount: int, unit: str
) -> VisitFrequency:
    """Set how often a county visits a category at a risk level (``county=None``: the default). Only a
    county administrator of that county (or the operator). Visits already scheduled keep their date; the
    next visit recorded uses the new frequency."""
    scope = scope_of(actor)
    if not scope.everything and not (scope.can_administer and county is not None and covers(scope, county)):
        raise PermissionDenied(_("Only the county administrator sets the visit frequencies."))
    check_choice(EntryType.KEY_PERSON_CATEGORY, category, field="category")
    row = VisitFrequency.objects.filter(county=county, category=category, risk_level=risk_level).first()
    before = snapshot(row) if row is not None else None
    row = row or VisitFrequency(county=county, category=category, risk_level=risk_level)
    row.amount, row.unit = amount, unit
    row.full_clean()
    row.save()
    audit_change(Action.UPDATE if before else Action.CREATE, before=before, after=row)
    return row
