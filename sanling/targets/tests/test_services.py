"""Setting and clearing targets: the county administrator only, inside their area, for a year on record or
the next; a percentage from 0 to 100; audited; a refused write changes nothing.

Messages are compared with their translation (the product speaks Chinese: the msgids are translated in the
locale's django.po)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from sanling.accounts.scope import scope_for
from sanling.audit.models import AuditEntry
from sanling.core.concurrency import StaleVersion
from sanling.targets.models import Target
from sanling.targets.services import target_clear, target_set

from .conftest import THIS_YEAR

pytestmark = pytest.mark.django_db


def chinese(msgid: str, **params) -> str:
    with translation.override("zh-hans"):
        text = translation.gettext(msgid)
    return text % params if params else text


def _set(personas, user="admin_user", **changes):
    values = {
        "year": THIS_YEAR,
        "region": personas["county"],
        "group": "village",
        "indicator": "rate",
        "value": "80",
        "scope": scope_for(personas[user]) if user else None,
    }
    return target_set(**{**values, **changes})


def _refused(call) -> dict:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        call()
    assert not Target.objects.exists()
    return refused.value.message_dict


def test_the_county_administrator_sets_a_target(personas):
    target = _set(personas, note="山西：村（社区）80%以上")
    assert (target.value, target.version, target.note) == (Decimal("80.00"), 1, "山西：村（社区）80%以上")


def test_setting_a_target_where_one_is_set_changes_it(personas):
    first = _set(personas)
    second = _set(personas, value="82.5", version=first.version)
    assert (second.pk, second.value, second.version) == (first.pk, Decimal("82.50"), 2)
    assert Target.objects.count() == 1


def test_setting_and_clearing_are_audited(personas):
    target = _set(personas)
    _set(personas, value="85")
    target_clear(target=target, scope=scope_for(personas["admin_user"]))
    actions = list(
        AuditEntry.objects.filter(object_type="target", object_key=str(target.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


@pytest.mark.parametrize("user", ["town_a", "dept", "viewer", "grid_a"])
def test_only_the_county_administrator_sets_targets(personas, user):
    with pytest.raises(PermissionDenied):
        _set(personas, user=user, region=personas["shabei"])
    assert not Target.objects.exists()


def test_only_the_county_administrator_clears_targets(personas):
    target = _set(personas, region=personas["shabei"])
    with pytest.raises(PermissionDenied):
        target_clear(target=target, scope=scope_for(personas["town_a"]))
    assert Target.objects.filter(pk=target.pk).exists()


@pytest.mark.parametrize("value", ["100.01", "-1", "abc", "", "NaN", "1e3"])
def test_a_target_outside_0_to_100_is_refused(personas, value):
    errors = _refused(lambda: _set(personas, value=value))
    assert errors == {"value": [chinese("A target is a percentage from 0 to 100.")]}


def test_a_target_with_more_than_two_decimals_is_refused(personas):
    errors = _refused(lambda: _set(personas, value="80.125"))
    assert errors == {"value": [chinese("A target has at most two decimals.")]}


@pytest.mark.parametrize("value", ["0", "100", "80.5%", "90.25"])
def test_targets_from_0_to_100_with_two_decimals_are_taken(personas, value):
    assert 0 <= _set(personas, value=value).value <= 100


@pytest.mark.parametrize("offset", [2, -30])
def test_a_year_neither_on_record_nor_the_next_is_refused(personas, offset, settings):
    settings.EARLIEST_YEAR = THIS_YEAR - 5
    errors = _refused(lambda: _set(personas, year=THIS_YEAR + offset))
    message = chinese(
        "A target is set for a year from %(first)s to %(last)s.", first=THIS_YEAR - 5, last=THIS_YEAR + 1
    )
    assert errors == {"year": [message]}


def test_next_years_target_can_be_set_ahead(personas):
    assert _set(personas, year=THIS_YEAR + 1).year == THIS_YEAR + 1


def test_the_county_administrator_cannot_set_a_target_outside_the_county(personas):
    errors = _refused(lambda: _set(personas, region=personas["city"]))
    assert errors == {"region": [chinese("This region is outside your area; you cannot set its targets.")]}


def test_a_compliance_rate_target_names_its_group(personas):
    errors = _refused(lambda: _set(personas, group=""))
    assert list(errors) == ["group"]


def test_an_unknown_indicator_or_group_is_refused(personas):
    assert list(_refused(lambda: _set(personas, indicator="speed"))) == ["indicator"]
    assert list(_refused(lambda: _set(personas, group="school"))) == ["group"]


def test_other_indicators_may_hold_for_every_group(personas):
    target = _set(personas, indicator="visit_completion", group="", value="95")
    assert (target.group, target.value) == ("", Decimal("95.00"))


def test_a_change_naming_a_stale_version_changes_nothing(personas):
    target = _set(personas)
    _set(personas, value="85", version=1)
    with pytest.raises(StaleVersion):
        _set(personas, value="70", version=1)
    target.refresh_from_db()
    assert (target.value, target.version) == (Decimal("85.00"), 2)


def test_clearing_with_a_stale_version_keeps_the_target(personas):
    target = _set(personas)
    _set(personas, value="85", version=1)
    with pytest.raises(StaleVersion):
        target_clear(target=target, version=1, scope=scope_for(personas["admin_user"]))
    assert Target.objects.filter(pk=target.pk).exists()


def test_after_a_towns_target_is_cleared_the_town_inherits_the_countys_again(personas):
    from sanling.targets.selectors import target_value

    _set(personas)
    town = _set(personas, region=personas["shabei"], value="70")
    target_clear(target=town, version=town.version, scope=scope_for(personas["admin_user"]))
    assert target_value(region=personas["shabei"], year=THIS_YEAR, group="village") == Decimal("80.00")
