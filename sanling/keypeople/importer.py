"""Importing ``key_people.csv``: every row validated through the services, all of it in one transaction.

One bad row means nothing is written (the report lists every problem, by row and column, identities never in
clear); the same file twice changes nothing; a row whose ``ref`` exists updates that person in place. A
masked cell (as an export without a reason writes it) keeps the stored value, so a masked file round-trips.
``dry_run`` validates and reports without writing. Identities are encrypted at rest by the model's fields.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sanling.core.workbooks import csv_untext
from sanling.dictionary.models import Entry, EntryType
from sanling.dictionary.services import check_choice
from sanling.personal.forms import keep_if_masked
from sanling.personal.identity import validate_id_number
from sanling.regions.models import Region

from .exports import CSV_COLUMNS, RISK_CHINESE
from .models import KeyPerson, RiskLevel, validate_person_phone
from .services import key_person_create, key_person_release, key_person_update

FILENAME = "key_people.csv"
RISKS = {**{value: value for value in RiskLevel.values}, **{v: k for k, v in RISK_CHINESE.items()}}
RISKS.update({"低风险": "low", "中风险": "medium", "高风险": "high"})
IDENTITY = ("name", "id_number", "phone", "address")
COLUMN_NAMES = {**dict(CSV_COLUMNS), "region": "区划代码", "__all__": ""}


@dataclass
class KeyPeopleImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    pass


def _header_key(cell: str) -> str:
    cell = cell.strip().lstrip("\ufeff")
    by_chinese = {chinese: key for key, chinese in CSV_COLUMNS}
    if "（" in cell and cell.endswith("）"):
        cell = cell[cell.index("（") + 1 : -1]
    return by_chinese.get(cell, cell)


def _rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    records = list(reader)
    if not records:
        return [], []
    keys = [_header_key(cell) for cell in records[0]]
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        rows.append(
            (number, {key: csv_untext(value.strip()) for key, value in zip(keys, record, strict=False)})
        )
    return keys, rows


def _messages(error: ValidationError) -> list[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        return [(name, " ".join(messages)) for name, messages in error.message_dict.items()]
    return [("", " ".join(error.messages))]


def _category(value: str) -> str:
    entries = Entry.objects.filter(type=EntryType.KEY_PERSON_CATEGORY)
    found = entries.filter(code=value).values_list("code", flat=True).first()
    return found or entries.filter(label=value).values_list("code", flat=True).first() or value


def row_values(row: dict[str, str], *, person: KeyPerson | None = None) -> tuple[dict, dict[str, str]]:
    """The values of one ``key_people.csv`` row but its region, and its problems by column key: the one row
    parser of ``sanling key_people import`` and of the exchange bundle's key_people step.

    ``person`` is the stored person the row's ``ref`` names: a masked identity cell equal to its stored
    value's mask keeps that value; any other mask is a problem. ID numbers are checked with python-stdnum and
    phones by their format; every message shows the value masked."""
    problems: dict[str, str] = {}
    risk = RISKS.get(row.get("risk_level", "").strip() or "medium")
    if risk is None:
        problems["risk_level"] = _("Use 低, 中 or 高.")
    category = _category(row.get("category", ""))
    if not category:
        problems["category"] = pgettext("key people", "Choose a category.")
    else:
        try:
            check_choice(
                EntryType.KEY_PERSON_CATEGORY, category, field="category", stored=person and person.category
            )
        except ValidationError as error:
            problems["category"] = " ".join(error.message_dict["category"])
    handler = None
    if username := row.get("handler", ""):
        handler = get_user_model().objects.filter(username=username, is_active=True).first()
        if handler is None:
            problems["handler"] = pgettext("key people", "No such active account.")
    registered_on = None
    if text := row.get("registered_on", ""):
        try:
            registered_on = datetime.date.fromisoformat(text)
        except ValueError:
            problems["registered_on"] = pgettext("key people", "Write the date as YYYY-MM-DD.")
    identity = {}
    for name in IDENTITY:
        value = row.get(name, "").strip()
        if "*" in value:
            stored = (getattr(person, name) or "") if person is not None else ""
            value = keep_if_masked("keyperson", name, value, stored)
            if "*" in value:
                problems[name] = _(
                    "“%(value)s” is a masked value; give the full value or leave the stored one."
                ) % {"value": value}
        identity[name] = value
    if not identity["name"] and "name" not in problems:
        problems["name"] = _("This field cannot be blank.")
    checks = {"id_number": validate_id_number, "phone": validate_person_phone}
    for name, check in checks.items():
        if identity[name] and name not in problems:
            try:
                check(identity[name])
            except ValidationError as error:
                problems[name] = " ".join(error.messages)
    values = {
        "category": category,
        "risk_level": risk,
        "handler": handler,
        "registered_on": registered_on,
        "active": row.get("active", "是") in ("", "是", "true", "1", "yes"),
        "note": row.get("note", ""),
        **identity,
    }
    return values, problems


def post_named(value: str, region: Region, *, current=None, labels: dict[str, str] | None = None):
    """The post a ``post`` cell names — "<岗位> <姓名>" (网格员 王五), the post type by label or code — held
    today in ``region``'s village or community; None for an empty cell. The cell of ``current`` (the person's
    post, as an export writes it) keeps that post even if it has since ended. Raises ValidationError."""
    from sanling.grids.models import Post
    from sanling.grids.selectors import active_q

    from .exports import post_cell, post_labels
    from .services import village_of

    value = " ".join(value.split())
    if not value:
        return None
    labels = post_labels() if labels is None else labels
    if current is not None and value == post_cell(current, labels):
        return current
    parts = value.split(" ", 1)
    if len(parts) != 2:
        raise ValidationError({"post": _("Write the post as “<post> <name>”, for example “网格员 王五”.")})
    codes = {code for code, label in labels.items() if parts[0] in (code, label)}
    village = village_of(region)
    found = list(
        Post.objects.filter(
            active_q(timezone.localdate()),
            post_type__in=codes,
            holder_name=parts[1],
            region__path__startswith=village.path if village else region.path,
        )[:2]
    )
    if len(found) != 1:
        message = (
            _("“%(value)s” names more than one post in the person's village or community.")
            if found
            else _("No post “%(value)s” is held today in the person's village or community.")
        )
        raise ValidationError({"post": message % {"value": value}})
    return found[0]


def _row_values(row: dict[str, str], person: KeyPerson | None = None) -> dict:
    problems = {}
    region = Region.objects.filter(code=row.get("region_code", "")).first()
    if region is None:
        problems["region_code"] = pgettext("key people", "No such region code.")
    values, more = row_values(row, person=person)
    problems.update(more)
    if "post" in row and region is not None:
        try:
            values["post"] = post_named(row["post"], region, current=person and person.post)
        except ValidationError as error:
            problems["post"] = " ".join(error.message_dict["post"])
    if problems:
        raise ValidationError(problems)
    return {"region": region, **values}


def _import_row(*, actor, row: dict[str, str], report: KeyPeopleImport) -> None:
    ref = row.get("ref", "")
    person = (
        KeyPerson.objects.filter(ref=ref).select_related("region", "handler", "post").first() if ref else None
    )
    values = _row_values(row, person)
    active = values.pop("active")
    registered_on = values.pop("registered_on")
    post = values.pop("post", person.post if person is not None else None)  # no post column: kept
    if person is None:
        person = key_person_create(actor=actor, ref=ref, registered_on=registered_on, post=post, **values)
        report.created += 1
    else:
        stored = {name: getattr(person, name) for name in values}
        if stored == values and person.active == active and person.post == post:
            report.unchanged += 1
            return
        person = key_person_update(actor=actor, person=person, version=person.version, post=post, **values)
        report.updated += 1
    if not active and person.active:
        key_person_release(
            actor=actor, person=person, on=timezone.localdate(), reason=_("Imported as not managed")
        )


def key_people_import(*, actor, text: str, dry_run: bool = False) -> KeyPeopleImport:
    """Import the rows of ``text`` (the file's content). ``actor`` None is the operator at the shell."""
    report = KeyPeopleImport(dry_run=dry_run)
    keys, rows = _rows(text)
    missing = [key for key in ("region_code", "category", "name") if key not in keys]
    if missing:
        report.errors.append(
            _("%(file)s: missing columns %(columns)s") % {"file": FILENAME, "columns": "、".join(missing)}
        )
        return report
    try:
        with transaction.atomic():
            for number, row in rows:
                try:
                    with transaction.atomic():
                        _import_row(actor=actor, row=row, report=report)
                except (ValidationError, PermissionDenied) as error:
                    problems = _messages(error) if isinstance(error, ValidationError) else [("", str(error))]
                    for column, message in problems:
                        column = COLUMN_NAMES.get(column, column)
                        where = _("%(file)s row %(row)s") % {"file": FILENAME, "row": number}
                        report.errors.append(
                            f"{where} {column}：{message}" if column else f"{where}：{message}"
                        )
            if report.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if report.errors:
        report.created = report.updated = report.unchanged = 0
    return report
