"""Validators for identifiers that come from outside: credit codes, phone numbers and the refs and codes
that name records in addresses."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

# Mobile (11 digits starting 1[3-9]), or a landline with area code and optional extension,
# optionally written with the +86 prefix, spaces or dashes.
PHONE = re.compile(r"^(?:\+?86)?(?:1[3-9]\d{9}|0\d{2,3}\d{7,8}(?:\d{1,6})?|\d{7,8})$")


# A ref or code ends up in a URL (/api/v1/events/<ref>/), a file name and a spreadsheet: ASCII letters and
# digits, Chinese characters (汉字), and - _ . inside; it starts with a letter, digit or 汉字, and never holds
# "..", a slash, a space or a control character.
_REF_START = "0-9A-Za-z\u4e00-\u9fff"
SAFE_REF = re.compile(f"[{_REF_START}][{_REF_START}._-]*")


def ref_problem(value: str) -> str:
    """Why ``value`` cannot be a ref or code ("" if it can). Shared by the models (so every service, form and
    serializer refuses it) and the importer, which checks columns without ``full_clean``."""
    if not value or (SAFE_REF.fullmatch(value) and ".." not in value):
        return ""
    return str(
        _(
            "“%(value)s” cannot be used as a reference or code: use letters, digits, Chinese characters and "
            "- _ . (starting with a letter, digit or Chinese character, no “..”)."
        )
        % {"value": value[:40]}
    )


# What a clash on a unique ref or code says, to everyone: naming the clash would tell a town operator that
# another town holds a record with that ref.
REF_TAKEN = _("This reference or code cannot be used; choose another.")


def validate_ref(value: str) -> None:
    """The model validator of every ref and code a user types (events, disputes, subjects, departments)."""
    if problem := ref_problem(value):
        raise ValidationError(problem, code="unsafe_ref")


def validate_uscc(value: str) -> None:
    """统一社会信用代码 (GB 32100-2015): 18 characters with a check character."""
    try:
        uscc.validate(value)
    except StdnumError as error:
        raise ValidationError(
            _("“%(value)s” is not a valid unified social credit code (统一社会信用代码)."),
            code="invalid_uscc",
            params={"value": value},
        ) from error


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s\-()（）]", "", value)


def validate_phone(value: str) -> None:
    if not PHONE.match(normalize_phone(value)):
        raise ValidationError(
            _(
                "“%(value)s” is not a valid phone number: use an 11-digit mobile or a landline with its area code."
            ),
            code="invalid_phone",
            params={"value": value},
        )


def validate_not_in_future(value: datetime.date, today: datetime.date | None = None) -> None:
    """Events and disputes are recorded after they happen; a date ahead of today is a typing error.
    ``today`` saves working out the local date again for each of a million imported rows."""
    if value and value > (today or timezone.localdate()):
        raise ValidationError(
            _("The date %(date)s is in the future."), code="future", params={"date": value.isoformat()}
        )


def record_date_problem(day: datetime.date | None, *, joined_on: datetime.date | None) -> str:
    """Why an event or dispute may not carry the date ``day`` ("" if it may): not before the earliest year on
    record (``SANLING_EARLIEST_YEAR``) nor before its subject joined the campaign. The future is refused by
    ``validate_not_in_future`` on the field. Shared by the models' ``clean`` (so every service refuses it)
    and the importer, which validates records column by column rather than with ``full_clean``."""
    from sanling.assessment.periods import earliest_date  # periods reads settings; keep validators light

    if day is None:
        return ""
    earliest = earliest_date()
    if day < earliest:
        return str(
            _("The date %(date)s is before %(year)s, the earliest year on record.")
            % {"date": day.isoformat(), "year": earliest.year}
        )
    if joined_on is not None and day < joined_on:
        return str(
            _("The date %(date)s is before the subject joined the campaign (%(joined)s).")
            % {"date": day.isoformat(), "joined": joined_on.isoformat()}
        )
    return ""
