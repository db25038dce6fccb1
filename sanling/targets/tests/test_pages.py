"""/targets/: the targets in force in the reader's area for a year and where each was set; the county
administrator's form to set one (a refused one keeps what was typed) and buttons to clear one."""

from decimal import Decimal

import pytest
from django.urls import reverse

from sanling.targets.models import Target

from .conftest import THIS_YEAR
from .test_services import chinese

pytestmark = pytest.mark.django_db

URL = reverse("targets:list")


def _rows(response) -> list[tuple[str, str, str, str]]:
    """(region code, indicator, group, value) of each row of the table, as the page shows them."""
    import re

    html = response.content.decode()
    return [
        (match.group(1), match.group(2), match.group(3), match.group(4))
        for match in re.finditer(
            r'data-region="(\d+)" data-indicator="(\w+)" data-group="(\w*)".*?<td class="num">([\d.]+)%',
            html,
            re.S,
        )
    ]


def test_a_town_operator_sees_the_countys_targets_inherited_in_the_town(client, personas, county_targets):
    client.force_login(personas["town_a"])
    response = client.get(URL)
    assert response.status_code == 200
    assert _rows(response) == [
        ("411103001000", "rate", "village", "80"),
        ("411103001000", "rate", "unit", "90"),
        ("411103001001", "rate", "village", "80"),
        ("411103001001", "rate", "unit", "90"),
    ]
    assert "郾城区" in response.content.decode()  # where they were set


def test_the_shabei_operator_sees_nothing_of_shangqiaos_override(client, personas, county_targets):
    client.force_login(personas["town_a"])
    content = client.get(URL).content.decode()
    assert "商桥" not in content and "85.00" not in content and ">85%<" not in content


def test_the_shabei_operator_cannot_open_shangqiaos_targets(client, personas, county_targets):
    client.force_login(personas["town_a"])
    assert client.get(URL, {"region": personas["shangqiao"].code}).status_code == 404


def test_the_county_lists_shangqiaos_override_as_set_there(client, personas, county_targets):
    client.force_login(personas["admin_user"])
    rows = _rows(client.get(URL))
    assert ("411103100000", "rate", "village", "85") in rows
    assert ("411103001000", "rate", "village", "80") in rows


def test_a_department_user_sees_the_countys_targets_only(client, personas, county_targets):
    client.force_login(personas["dept"])
    response = client.get(URL)
    assert _rows(response) == [
        ("411103000000", "rate", "village", "80"),
        ("411103000000", "rate", "unit", "90"),
    ]
    assert client.get(URL, {"region": personas["shangqiao"].code}).status_code == 404


def test_only_the_county_administrator_gets_the_form(client, personas, county_targets):
    client.force_login(personas["town_a"])
    assert 'id="target-form"' not in client.get(URL).content.decode()
    client.force_login(personas["admin_user"])
    assert 'id="target-form"' in client.get(URL).content.decode()


def test_a_town_operator_cannot_post_a_target(client, personas):
    client.force_login(personas["town_a"])
    data = {"region": personas["shabei"].code, "year": THIS_YEAR, "indicator": "rate", "group": "village"}
    assert client.post(URL, {**data, "value": "70"}).status_code == 403
    assert not Target.objects.exists()


def test_the_county_administrator_sets_a_towns_target(client, personas, county_targets):
    client.force_login(personas["admin_user"])
    data = {"region": personas["shabei"].code, "year": THIS_YEAR, "indicator": "rate", "group": "unit"}
    response = client.post(URL, {**data, "value": "95", "note": "沙北加压"})
    assert response.status_code == 302
    target = Target.objects.get(region=personas["shabei"], group="unit")
    assert (target.value, target.note) == (Decimal("95.00"), "沙北加压")


def test_a_refused_form_keeps_what_was_typed_and_says_why(client, personas):
    client.force_login(personas["admin_user"])
    data = {"region": personas["shabei"].code, "year": THIS_YEAR, "indicator": "rate", "group": "unit"}
    response = client.post(URL, {**data, "value": "120", "note": "写错了"})
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["value"] == [chinese("A target is a percentage from 0 to 100.")]
    content = response.content.decode()
    assert 'value="120"' in content and 'value="写错了"' in content
    assert not Target.objects.exists()


def test_a_region_outside_the_county_is_refused_in_the_form(client, personas):
    client.force_login(personas["admin_user"])
    data = {"region": personas["city"].code, "year": THIS_YEAR, "indicator": "rate", "group": "unit"}
    response = client.post(URL, {**data, "value": "90"})
    assert response.status_code == 400
    assert "region" in response.context["form"].errors
    assert not Target.objects.exists()


def test_the_edit_link_fills_the_form_with_the_target_and_its_version(client, personas, county_targets):
    client.force_login(personas["admin_user"])
    target = county_targets["shangqiao"]
    form = client.get(URL, {"edit": target.pk}).context["form"]
    assert (form.initial["value"], form.initial["version"]) == (target.value, target.version)


def test_a_stale_edit_is_refused_and_changes_nothing(client, personas, county_targets):
    client.force_login(personas["admin_user"])
    target = county_targets["shangqiao"]
    data = {"region": target.region.code, "year": THIS_YEAR, "indicator": "rate", "group": "village"}
    assert client.post(URL, {**data, "value": "86", "version": 1}).status_code == 302
    response = client.post(URL, {**data, "value": "60", "version": 1})
    assert response.status_code == 400
    target.refresh_from_db()
    assert target.value == Decimal("86.00")


def test_clearing_a_towns_target_lets_it_inherit_again(client, personas, county_targets):
    client.force_login(personas["admin_user"])
    target = county_targets["shangqiao"]
    clear = reverse("targets:clear", kwargs={"pk": target.pk})
    assert client.post(clear, {"version": target.version}).status_code == 302
    assert not Target.objects.filter(pk=target.pk).exists()
    rows = _rows(client.get(URL, {"region": personas["shangqiao"].code}))
    assert ("411103100000", "rate", "village", "80") in rows


def test_a_town_operator_cannot_clear_a_target(client, personas, county_targets):
    client.force_login(personas["town_a"])
    target = county_targets["village"]
    assert client.post(reverse("targets:clear", kwargs={"pk": target.pk})).status_code == 403
    assert Target.objects.filter(pk=target.pk).exists()


def test_a_year_no_target_can_be_set_for_is_refused_with_the_current_year_shown(client, personas):
    client.force_login(personas["admin_user"])
    response = client.get(URL, {"year": "1999"})
    assert response.status_code == 200
    assert response.context["year"] == THIS_YEAR
    assert response.context["year_error"]
