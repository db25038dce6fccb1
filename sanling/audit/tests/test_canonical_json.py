"""The canonical JSON an entry's hash covers is the standard library's text, whichever encoder writes it."""

import datetime
import decimal
import json
import uuid

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from hypothesis import given
from hypothesis import strategies as st

from sanling.audit.services import canonical_json

REFERENCE = DjangoJSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))

# Any text, lone surrogates and control characters included.
any_text = st.text(st.characters(codec=None, exclude_categories=()))
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | any_text
    | st.dates()
    | st.datetimes(timezones=st.none() | st.just(datetime.UTC))
    | st.times()
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.uuids()
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(any_text | st.integers(), children, max_size=4)
    ),
    max_leaves=20,
)


@given(values)
def test_canonical_json_is_the_standard_librarys_text_for_any_value(value):
    try:
        expected = REFERENCE.encode(value)
    except TypeError:  # keys of mixed types cannot be sorted
        with pytest.raises(TypeError):
            canonical_json(value)
    else:
        assert canonical_json(value) == expected


def test_canonical_json_writes_small_large_and_not_a_number_floats_as_python_does():
    value = {"small": 1e-05, "large": 1e16, "plain": 0.5, "nan": float("nan"), "text": "１.５亩"}
    assert canonical_json(value) == '{"large":1e+16,"nan":NaN,"plain":0.5,"small":1e-05,"text":"１.５亩"}'


def test_canonical_json_writes_dates_decimals_and_uuids_as_django_does():
    value = {
        "at": datetime.datetime(2025, 3, 5, 8, 30, 0, 123456, tzinfo=datetime.UTC),
        "on": datetime.date(2025, 3, 5),
        "loss": decimal.Decimal("12.50"),
        "id": uuid.UUID(int=1),
    }
    assert json.loads(canonical_json(value)) == {
        "at": "2025-03-05T08:30:00.123Z",
        "id": "00000000-0000-0000-0000-000000000001",
        "loss": "12.50",
        "on": "2025-03-05",
    }
