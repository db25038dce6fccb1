"""The resident identity card number (居民身份证号码, GB 11643), checked with python-stdnum wherever a person's
identity is recorded (petitioners, key persons)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from .masking import mask_id_number


def normalize_id_number(value: str) -> str:
    return (value or "").strip().upper()


def validate_id_number(value: str) -> None:
    """18 characters with a valid check character, birth date and area. The error shows the number masked."""
    try:
        ric.validate(normalize_id_number(value))
    except (StdnumError, KeyError, ValueError) as error:
        # python-stdnum raises KeyError for an area code it knows only as a city (411105…): still a wrong number
        raise ValidationError(
            _("“%(value)s” is not a valid resident identity card number (its check digit or date is wrong)."),
            code="invalid_id_number",
            params={"value": mask_id_number(normalize_id_number(value))},
        ) from error
