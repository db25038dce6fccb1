"""Writes of 督查 and the 四函 ladder: a visit with its findings (each proposing a letter), the letter's
steps (issue or decline by a supervisor; acknowledge and respond by the organisation it was sent to), and the
county's rules (the window, the response deadlines, the letter templates).

The ladder, precisely (the seeds name "一次提醒、二次通报、三次约谈、四次问责" but neither a window nor how
findings are counted; these rules are ours):

* A subject's findings, in date order, fall into runs. A finding dated more than ``window_days`` (the county's
  ``LadderPolicy``, default 90) after the subject's previous finding starts a new run; otherwise it continues
  the previous finding's run. So the window is the longest gap between two findings of one run.
* The n-th finding of a run proposes the n-th letter: 1 提醒函, 2 通报, 3 约谈函, 4 问责函; the 5th and every
  later one propose a 问责函 again (each further lapse after 问责 is answered by 问责 again).
* A finding cannot be dated before the subject's latest finding (the ladder is never renumbered after the
  fact) nor in the future.
* A letter is only ever proposed by a finding; a person issues it or declines it (with a reason). It cannot
  be issued while a lower letter of the same run is still only proposed: decide those first.

Every write takes the writer's ``scope`` (None at the shell and in the demo) and refuses, in Chinese and
writing nothing, what lies outside it.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.template import Context, Engine, TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.accounts.scope import Scope
from sanling.audit.models import Action
from sanling.audit.services import audit_change, snapshot
from sanling.core.concurrency import lock_for_edit, save_next_version
from sanling.events.services import new_ref
from sanling.organisations.models import Organisation, OrganisationKind
from sanling.regions.models import Level, Region, codes_in_path
from sanling.subjects.models import Subject

from .models import (
    DEFAULT_RESPONSE_DAYS,
    DEFAULT_WINDOW_DAYS,
    Finding,
    FindingPhoto,
    LadderPolicy,
    Letter,
    LetterKind,
    LetterStatus,
    LetterTemplate,
    SupervisionVisit,
    VisitLevel,
)
from .selectors import LETTER_KINDS

# The names a letter template may read (``{{ subject.name }}``, ``{% for finding in findings %}``…).
TEMPLATE_FIELDS = (
    "subject.name",
    "subject.code",
    "subject.region",
    "organisation.name",
    "findings (each: date, text)",
    "date",
    "number",
    "deadline",
    "kind",
    "ordinal",
    "issuer",
)
INVALID = "\x00"

# Our default wording of the four letters, in plain official Chinese; a county edits its own copy.
_CLOSING = "\n\n{{ issuer }}\n{{ date }}"
_FINDINGS = (
    "经督查，{{ subject.name }}在“三零”创建工作中存在工作措施落实不细不实的问题：\n"
    "{% for finding in findings %}{{ forloop.counter }}. {{ finding.date }}：{{ finding.text }}\n{% endfor %}"
)
DEFAULT_TEMPLATES = {
    "reminder": (
        "关于{{ subject.name }}“三零”创建工作的提醒函",
        "{{ organisation.name }}：\n\n"
        + _FINDINGS
        + "按照“一次提醒、二次通报、三次约谈、四次问责”的“四函”机制，现予以提醒。请督促认真整改，"
        "并于{{ deadline }}前将整改情况书面报送。" + _CLOSING,
    ),
    "notice": (
        "关于{{ subject.name }}“三零”创建工作落实不力的通报",
        "{{ organisation.name }}：\n\n"
        + _FINDINGS
        + "上述问题经提醒后仍未整改到位。按照“四函”机制，现予以通报。请立即组织整改，"
        "并于{{ deadline }}前将整改情况书面报送。" + _CLOSING,
    ),
    "interview": (
        "关于约谈{{ subject.name }}负责人的函",
        "{{ organisation.name }}：\n\n"
        + _FINDINGS
        + "上述问题经提醒、通报后仍未整改到位。按照“四函”机制，决定约谈{{ subject.name }}主要负责人。"
        "请于{{ deadline }}前报送整改情况，并做好约谈准备。" + _CLOSING,
    ),
    "accountability": (
        "关于对{{ subject.name }}启动问责的函",
        "{{ organisation.name }}：\n\n"
        + _FINDINGS
        + "上述问题经提醒、通报、约谈后仍未整改到位。按照“四函”机制，现启动问责程序。"
        "请于{{ deadline }}前报送整改情况及有关责任人员的处理意见。" + _CLOSING,
    ),
}

ENGINE = Engine(autoescape=False, string_if_invalid=INVALID + "%s" + INVALID)


def kind_for(ordinal: int) -> str:
    """The letter the n-th finding of a run proposes: 提醒, 通报, 约谈, then 问责 for the 4th and later."""
    return LETTER_KINDS[min(ordinal, len(LETTER_KINDS)) - 1]


def county_of(region: Region) -> Region | None:
    if region.level == Level.COUNTY:
        return region
    return Region.objects.filter(code__in=codes_in_path(region.path), level=Level.COUNTY).first()


def policy_for(county: Region | None) -> LadderPolicy:
    """The county's ladder policy, or our defaults (unsaved) where it set none."""
    policy = LadderPolicy.objects.filter(region=county).first() if county is not None else None
    return policy or LadderPolicy(region=county, window_days=DEFAULT_WINDOW_DAYS)


def template_for(county: Region | None, kind: str) -> LetterTemplate:
    """The county's template of ``kind``, or our default (unsaved)."""
    template = LetterTemplate.objects.filter(region=county, kind=kind).first() if county else None
    if template is None:
        title, body = DEFAULT_TEMPLATES[kind]
        template = LetterTemplate(region=county, kind=kind, title=title, body=body)
    return template


def ladder_position(subject: Subject, found_on: datetime.date, window_days: int) -> tuple[datetime.date, int]:
    """(run start, number in the run) of a new finding on ``subject`` dated ``found_on``."""
    last = Finding.objects.filter(subject=subject).order_by("-found_on", "-pk").first()
    if last is None or (found_on - last.found_on).days > window_days:
        return found_on, 1
    return last.run_start, last.ordinal + 1


def _check_supervisor(scope: Scope | None) -> None:
    if scope is not None and not scope.can_supervise:
        raise PermissionDenied(
            _("Only the county, towns and departments record supervision and issue letters.")
        )


def _check_subject(subject: Subject, scope: Scope | None, field: str = "subject") -> None:
    if scope is not None and not scope.subjects().filter(pk=subject.pk).exists():
        raise ValidationError({field: _("This subject is outside your area.")})


@dataclass(frozen=True)
class FindingInput:
    """A finding against ``subject``, and photos (uploads) as evidence."""

    subject: Subject
    text: str
    photos: tuple = ()


def _chinese_date(day: datetime.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


@transaction.atomic
def visit_create(
    *,
    region: Region,
    visited_on: datetime.date,
    visitors: str,
    place: str = "",
    summary: str = "",
    department=None,
    organisation: Organisation | None = None,
    level: str = "",
    findings: list[FindingInput] = (),
    ref: str = "",
    scope: Scope | None = None,
    user=None,
) -> SupervisionVisit:
    """Record a supervision visit and its findings; each finding proposes the letter of its place on the
    subject's ladder. All or nothing."""
    _check_supervisor(scope)
    if scope is not None and not scope.everything:
        if scope.department is not None and scope.region is None:
            department = scope.department
        elif not scope.covers_region(region):
            raise ValidationError({"region": _("This area is outside your part of the county.")})
    if (
        organisation is not None
        and scope is not None
        and not scope.reachable_organisations().filter(pk=organisation.pk).exists()
    ):
        raise ValidationError({"organisation": _("This organisation is outside your area.")})
    if not level:
        level = (
            VisitLevel.DEPARTMENT
            if department is not None
            else (
                VisitLevel.COUNTY
                if region.level in (Level.COUNTY, Level.CITY, Level.PROVINCE)
                else VisitLevel.TOWN
            )
        )
    if visited_on and visited_on > timezone.localdate():
        raise ValidationError(
            {"visited_on": _("This date is in the future; record the visit after it happens.")}
        )
    if not findings:
        raise ValidationError({"findings": _("Record at least one finding of the visit.")})
    visit = SupervisionVisit(
        ref=ref or new_ref("DC"),
        level=level,
        region=region,
        department=department,
        organisation=organisation,
        visited_on=visited_on,
        place=(place or "").strip(),
        visitors=(visitors or "").strip(),
        summary=(summary or "").strip(),
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    visit.full_clean()
    visit.save()
    audit_change(Action.CREATE, after=visit)
    for number, row in enumerate(findings, start=1):
        try:
            finding_add(visit=visit, finding=row, scope=scope)
        except ValidationError as error:
            raise ValidationError(
                {
                    "findings": [
                        _("Finding %(n)s: %(problem)s") % {"n": number, "problem": message}
                        for message in error.messages
                    ]
                }
            ) from None
    return visit


@transaction.atomic
def finding_add(*, visit: SupervisionVisit, finding: FindingInput, scope: Scope | None = None) -> Finding:
    """Record a finding of ``visit`` against a subject and propose the letter of its place on the ladder."""
    _check_supervisor(scope)
    subject = Subject.objects.select_for_update().get(pk=finding.subject.pk)  # one ladder step at a time
    _check_subject(subject, scope)
    text = (finding.text or "").strip()
    if not text:
        raise ValidationError({"text": _("Describe what was found.")})
    found_on = visit.visited_on
    latest = (
        Finding.objects.filter(subject=subject)
        .order_by("-found_on")
        .values_list("found_on", flat=True)
        .first()
    )
    if latest is not None and found_on < latest:
        raise ValidationError(
            {
                "found_on": _(
                    "%(subject)s already has a finding of %(date)s; a finding dated before it would renumber "
                    "the letters already proposed."
                )
                % {"subject": subject.name, "date": latest}
            }
        )
    county = county_of(subject.region)
    policy = policy_for(county)
    run_start, ordinal = ladder_position(subject, found_on, policy.window_days)
    row = Finding(
        visit=visit, subject=subject, found_on=found_on, text=text, run_start=run_start, ordinal=ordinal
    )
    row.full_clean()
    row.save()
    audit_change(Action.CREATE, after=row)
    for upload in finding.photos:
        finding_photo_add(finding=row, upload=upload)
    letter = Letter(
        ref=new_ref("SH"),
        subject=subject,
        kind=kind_for(ordinal),
        ordinal=ordinal,
        run_start=run_start,
        finding=row,
        proposed_on=found_on,
    )
    letter.full_clean()
    letter.save()
    audit_change(Action.CREATE, after=letter, verb="letter.proposed")
    return row


def finding_photo_add(*, finding: Finding, upload) -> FindingPhoto:
    """Keep a photo (or PDF scan) of a finding: checked and stored as case attachments are."""
    from sanling.work.attachments import _receive, _store, clean_name

    temporary, sha256, size, content_type = _receive(upload)
    try:
        photo = FindingPhoto(
            finding=finding,
            sha256=sha256,
            name=clean_name(getattr(upload, "name", "")),
            content_type=content_type,
            size=size,
        )
        photo.full_clean()
        photo.save()
        _store(temporary, sha256)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    audit_change(Action.CREATE, after=photo)
    return photo


# -- Letters ---------------------------------------------------------------------------------------------


def addressee_for(subject: Subject) -> Organisation | None:
    """Where a letter about ``subject`` goes unless the issuer names another: its department's office for a
    unit under a department, else the organisation standing nearest above it (its village's, then its
    town's…), a comprehensive governance centre before others at the same place."""
    if subject.department_id:
        office = (
            Organisation.objects.filter(
                active=True, department_id=subject.department_id, kind=OrganisationKind.DEPARTMENT
            )
            .order_by("code")
            .first()
        )
        if office is not None:
            return office
    candidates = Organisation.objects.filter(
        active=True, region__code__in=codes_in_path(subject.region.path), department__isnull=True
    ).select_related("region")
    order = [OrganisationKind.COMPREHENSIVE_CENTRE, OrganisationKind.MEDIATION_CENTRE]
    return min(
        candidates,
        key=lambda o: (-len(o.region.path), order.index(o.kind) if o.kind in order else len(order), o.code),
        default=None,
    )


def run_findings(letter: Letter) -> list[Finding]:
    """The findings of the letter's run up to the one that proposed it."""
    return list(
        Finding.objects.filter(
            subject_id=letter.subject_id, run_start=letter.run_start, ordinal__lte=letter.ordinal
        )
        .filter(found_on__gte=letter.run_start)
        .order_by("found_on", "pk")
    )


def letter_context(
    letter: Letter, *, on: datetime.date, number: str, organisation: Organisation | None, deadline
) -> dict:
    subject = letter.subject
    county = county_of(subject.region)
    return {
        "subject": {"name": subject.name, "code": subject.code, "region": subject.region.name},
        "organisation": {"name": organisation.name if organisation else ""},
        "findings": [{"date": _chinese_date(f.found_on), "text": f.text} for f in run_findings(letter)],
        "date": _chinese_date(on),
        "number": number,
        "deadline": _chinese_date(deadline),
        "kind": str(LetterKind(letter.kind).label),
        "ordinal": letter.ordinal,
        "issuer": county.name if county else "",
    }


def render_text(source: str, context: dict, *, field: str) -> str:
    """``source`` rendered with ``context``; a ValidationError in Chinese (on ``field``) if it cannot be
    read, fails, or names something the context does not have."""
    try:
        text = ENGINE.from_string(source).render(Context(context))
    except TemplateSyntaxError as error:
        raise ValidationError(
            {field: _("The template cannot be read: %(error)s") % {"error": error}}
        ) from None
    except Exception as error:  # a filter given a wrong value, and the like
        raise ValidationError(
            {field: _("The template fails to render: %(error)s") % {"error": error}}
        ) from None
    unknown = sorted(set(re.findall(INVALID + "([^" + INVALID + "]*)" + INVALID, text)))
    if unknown or INVALID in text:
        raise ValidationError(
            {
                field: _("The template names what a letter does not have: %(names)s. It may use: %(fields)s.")
                % {"names": "、".join(name or "?" for name in unknown), "fields": "、".join(TEMPLATE_FIELDS)}
            }
        )
    return text


def letter_render(letter: Letter, *, template: LetterTemplate | None = None) -> tuple[str, str]:
    """The letter's title and body: as issued (frozen then), or, while proposed, as it would read if issued
    today from the county's current template."""
    if letter.status == LetterStatus.ISSUED and letter.title:
        return letter.title, letter.body
    today = timezone.localdate()
    county = county_of(letter.subject.region)
    template = template or template_for(county, letter.kind)
    context = letter_context(
        letter,
        on=today,
        number=letter.number or _("(not yet numbered)"),
        organisation=letter.sent_to or addressee_for(letter.subject),
        deadline=today + datetime.timedelta(days=policy_for(county).response_days(letter.kind)),
    )
    return render_text(template.title, context, field="title"), render_text(
        template.body, context, field="body"
    )


def letter_document(letter: Letter):
    """The letter as a ``sanling.documents.Document``: its title, number, body, and the run's findings."""
    from sanling.documents import Document

    title, body = letter_render(letter)
    if letter.status == LetterStatus.ISSUED:
        subtitle = letter.number
    elif letter.status == LetterStatus.DECLINED:
        subtitle = str(letter.get_status_display())
    else:
        subtitle = _("Draft: proposed, not issued")
    document = Document(title=title, subtitle=subtitle)
    for paragraph in body.split("\n"):
        if paragraph.strip():
            document.paragraph(paragraph.strip())
    document.heading(_("Findings"), level=2)
    document.table(
        [_("Date"), _("Finding")],
        [[finding.found_on.isoformat(), finding.text] for finding in run_findings(letter)],
        widths=[1, 4],
    )
    return document


def _next_number(county: Region | None, kind: str, on: datetime.date) -> str:
    short = {"reminder": "提醒", "notice": "通报", "interview": "约谈", "accountability": "问责"}[kind]
    issued = Letter.objects.filter(status=LetterStatus.ISSUED, kind=kind, decided_at__year=on.year)
    if county is not None:
        issued = issued.filter(subject__region__path__startswith=county.path)
    prefix = county.name if county else ""
    return f"{prefix}督{short}〔{on.year}〕{issued.count() + 1}号"


def _check_letter_decider(letter: Letter, scope: Scope | None) -> None:
    _check_supervisor(scope)
    _check_subject(letter.subject, scope)


@transaction.atomic
def letter_issue(
    *,
    letter: Letter,
    version: int | None,
    sent_to: Organisation | None = None,
    number: str = "",
    on: datetime.date | None = None,
    scope: Scope | None = None,
    user=None,
) -> Letter:
    """Issue a proposed letter: numbered, sent to ``sent_to`` (default ``addressee_for``) with its answer due
    after the county's days for the kind; its wording frozen from the template. Refused while a lower letter
    of the same run is still only proposed."""
    _check_letter_decider(letter, scope)
    current = lock_for_edit(letter, version)
    if current.status != LetterStatus.PROPOSED:
        raise ValidationError(
            {"status": _("This letter is already %(status)s.") % {"status": current.get_status_display()}}
        )
    pending = (
        Letter.objects.filter(
            subject_id=current.subject_id,
            run_start=current.run_start,
            ordinal__lt=current.ordinal,
            status=LetterStatus.PROPOSED,
        )
        .order_by("ordinal")
        .first()
    )
    if pending is not None:
        raise ValidationError(
            {
                "status": _(
                    "Out of order: this run's %(earlier)s (%(ref)s) is still only proposed. Issue or decline it "
                    "before issuing this %(kind)s."
                )
                % {
                    "earlier": pending.get_kind_display(),
                    "ref": pending.ref,
                    "kind": current.get_kind_display(),
                }
            }
        )
    sent_to = sent_to or addressee_for(current.subject)
    if sent_to is None:
        raise ValidationError({"sent_to": _("Name the organisation the letter is sent to.")})
    if scope is not None and not (
        scope.reachable_organisations().filter(pk=sent_to.pk).exists()
        or sent_to == addressee_for(current.subject)
    ):
        raise ValidationError({"sent_to": _("This organisation is outside your area.")})
    on = on or timezone.localdate()
    if on > timezone.localdate() or on < current.proposed_on:
        raise ValidationError({"on": _("A letter is issued between its finding's date and today.")})
    county = county_of(current.subject.region)
    before = snapshot(current)
    number = (number or "").strip() or _next_number(county, current.kind, on)
    deadline = on + datetime.timedelta(days=policy_for(county).response_days(current.kind))
    template = template_for(county, current.kind)
    context = letter_context(current, on=on, number=number, organisation=sent_to, deadline=deadline)
    current.title = render_text(template.title, context, field="title")[:200]
    current.body = render_text(template.body, context, field="body")
    current.status = LetterStatus.ISSUED
    current.number = number[:60]
    current.sent_to = sent_to
    current.response_due = deadline
    current.decided_by = user if getattr(user, "is_authenticated", False) else None
    current.decided_at = timezone.make_aware(datetime.datetime.combine(on, timezone.localtime().time()))
    updated = save_next_version(current)
    audit_change(Action.UPDATE, before=before, after=updated, verb="letter.issued")
    return updated


@transaction.atomic
def letter_decline(
    *, letter: Letter, version: int | None, reason: str = "", scope: Scope | None = None, user=None
) -> Letter:
    """Decline a proposed letter, saying why (the finding stays on the ladder)."""
    _check_letter_decider(letter, scope)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the letter is not issued.")})
    current = lock_for_edit(letter, version)
    if current.status != LetterStatus.PROPOSED:
        raise ValidationError(
            {"status": _("This letter is already %(status)s.") % {"status": current.get_status_display()}}
        )
    before = snapshot(current)
    current.status = LetterStatus.DECLINED
    current.decline_reason = reason[:500]
    current.decided_by = user if getattr(user, "is_authenticated", False) else None
    current.decided_at = timezone.now()
    updated = save_next_version(current)
    audit_change(Action.UPDATE, before=before, after=updated, verb="letter.declined")
    return updated


def is_recipient(letter: Letter, user) -> bool:
    """Whether ``user`` belongs to (or heads) the organisation the letter was sent to."""
    if letter.sent_to_id is None or not getattr(user, "is_authenticated", False):
        return False
    return Organisation.objects.filter(Q(members=user) | Q(head=user), pk=letter.sent_to_id).exists()


def _check_recipient(letter: Letter, scope: Scope | None, user) -> None:
    if letter.status != LetterStatus.ISSUED:
        raise ValidationError({"status": _("Only an issued letter is acknowledged or answered.")})
    if scope is None or scope.everything:
        return
    if not scope.can_write or not is_recipient(letter, user):
        raise PermissionDenied(_("Only the organisation the letter was sent to acknowledges and answers it."))


@transaction.atomic
def letter_acknowledge(
    *, letter: Letter, version: int | None, scope: Scope | None = None, user=None
) -> Letter:
    """签收: the organisation the letter was sent to has received it."""
    _check_recipient(letter, scope, user)
    current = lock_for_edit(letter, version)
    if current.acknowledged_at is not None:
        raise ValidationError({"status": _("This letter is already acknowledged.")})
    before = snapshot(current)
    current.acknowledged_by = user if getattr(user, "is_authenticated", False) else None
    current.acknowledged_at = timezone.now()
    updated = save_next_version(current)
    audit_change(Action.UPDATE, before=before, after=updated, verb="letter.acknowledged")
    return updated


@transaction.atomic
def letter_respond(
    *, letter: Letter, version: int | None, text: str = "", scope: Scope | None = None, user=None
) -> Letter:
    """The organisation's answer (整改情况); acknowledges the letter too if it was not yet."""
    _check_recipient(letter, scope, user)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the answer: what was put right.")})
    current = lock_for_edit(letter, version)
    if current.responded_at is not None:
        raise ValidationError({"status": _("This letter is already answered.")})
    before = snapshot(current)
    now = timezone.now()
    if current.acknowledged_at is None:
        current.acknowledged_by = user if getattr(user, "is_authenticated", False) else None
        current.acknowledged_at = now
    current.response_text = text[:5000]
    current.responded_at = now
    updated = save_next_version(current)
    audit_change(Action.UPDATE, before=before, after=updated, verb="letter.responded")
    return updated


# -- The county's rules ----------------------------------------------------------------------------------


def _check_rules(county: Region, scope: Scope | None) -> None:
    if scope is None:
        return
    if not scope.can_set_rules or not (scope.everything or scope.covers_region(county)):
        raise PermissionDenied(_("Only the county's administrator sets the ladder and the letter templates."))


@transaction.atomic
def policy_save(*, county: Region, version: int | None, scope: Scope | None = None, **values) -> LadderPolicy:
    """Set the county's window and response deadlines."""
    _check_rules(county, scope)
    existing = LadderPolicy.objects.filter(region=county).first()
    fields = ("window_days", *(f"{kind}_days" for kind in LETTER_KINDS))
    if existing is None:
        policy = LadderPolicy(region=county, **{k: v for k, v in values.items() if k in fields})
        policy.full_clean()
        policy.save()
        audit_change(Action.CREATE, after=policy)
        return policy
    current = lock_for_edit(existing, version)
    before = snapshot(current)
    for name in fields:
        if name in values:
            setattr(current, name, values[name])
    updated = save_next_version(current)
    audit_change(Action.UPDATE, before=before, after=updated)
    return updated


def template_check(title: str, body: str) -> None:
    """Refuse (in Chinese) a template that does not render for a sample letter."""
    sample = {
        "subject": {"name": "示例村", "code": "V0", "region": "示例镇"},
        "organisation": {"name": "示例镇综治中心"},
        "findings": [{"date": "2026年3月3日", "text": "落实不细不实"}],
        "date": "2026年3月24日",
        "number": "督提醒〔2026〕1号",
        "deadline": "2026年3月31日",
        "kind": "提醒函",
        "ordinal": 1,
        "issuer": "示例县",
    }
    errors = {}
    for field, source in (("title", title), ("body", body)):
        if not (source or "").strip():
            errors[field] = [_("This cannot be empty.")]
            continue
        try:
            render_text(source, sample, field=field)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def template_save(
    *, county: Region, kind: str, title: str, body: str, version: int | None, scope: Scope | None = None
) -> LetterTemplate:
    """Save the county's wording of one kind of letter after checking it renders."""
    _check_rules(county, scope)
    if kind not in LetterKind.values:
        raise ValidationError({"kind": _("Choose a kind of letter.")})
    template_check(title, body)
    existing = LetterTemplate.objects.filter(region=county, kind=kind).first()
    if existing is None:
        template = LetterTemplate(region=county, kind=kind, title=title.strip(), body=body.strip())
        template.full_clean()
        template.save()
        audit_change(Action.CREATE, after=template)
        return template
    current = lock_for_edit(existing, version)
    before = snapshot(current)
    current.title, current.body = title.strip(), body.strip()
    updated = save_next_version(current)
    audit_change(Action.UPDATE, before=before, after=updated)
    return updated


def default_templates_create(*, county: Region) -> list[LetterTemplate]:
    """Give the county its own copy of our four default templates (those it has not yet)."""
    return [
        template_for(county, kind)
        if LetterTemplate.objects.filter(region=county, kind=kind).exists()
        else template_save(
            county=county,
            kind=kind,
            title=DEFAULT_TEMPLATES[kind][0],
            body=DEFAULT_TEMPLATES[kind][1],
            version=None,
        )
        for kind in LETTER_KINDS
    ]


__all__ = ["DEFAULT_RESPONSE_DAYS"]
