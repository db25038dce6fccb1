"""Which accounts a county's system administrator sees and manages and its security administrator grants,
and the region picker of the grant form.

A department user may have no region; their department belongs to the county its units stand in. The
administrators manage the department users of departments whose units all stand in their subtree, and of
departments that have no units yet (so the first account of a new department can be granted).
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from sanling.accounts.models import Profile
from sanling.departments.models import Department
from sanling.regions.models import Level
from sanling.regions.services import region_create
from sanling.subjects.services import subject_create

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-2025"


@pytest.fixture
def neighbour(duty_holders):
    """源汇区, the next county of the city, with its own health bureau (a hospital there) and its user."""
    county = region_create(
        code="411102000000", name="源汇区", level=Level.COUNTY, parent=duty_holders["city"]
    )
    town = region_create(code="411102001000", name="马路街街道", level=Level.TOWN, parent=county)
    health = Department.objects.create(code="WJ", name="源汇区卫健委")
    subject_create(
        code="U9",
        name="源汇区人民医院",
        kind="institution",
        category="hospital",
        region=town,
        department=health,
        joined_on=datetime.date(2025, 1, 1),
    )
    user = get_user_model().objects.create_user(username="weijian", password=PASSWORD)
    Profile.objects.create(user=user, role="department_user", department=health)
    return {"county": county, "town": town, "health": health, "user": user}


def _pending(personas, username: str):
    """An account the county's system administrator made, waiting for its role."""
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    Profile.objects.create(user=user, role="", region=personas["county"])
    return user


def _grant(client, personas, username: str, **fields):
    """The county's security administrator grants ``fields`` to a new account ``username``."""
    account = _pending(personas, username)
    client.force_login(personas["secadmin"])
    return client.post(reverse("accounts:user_grant", args=[account.pk]), fields)


def _role(username: str) -> str:
    return get_user_model().objects.get(username=username).profile.role


def test_a_system_admin_sees_the_department_users_of_the_county(client, duty_holders):
    personas = duty_holders
    client.force_login(personas["sysadmin"])
    page = client.get(reverse("accounts:users")).content.decode()
    assert reverse("accounts:user_edit", args=[personas["dept"].pk]) in page


def test_a_security_admin_opens_a_department_users_grant(client, duty_holders):
    personas = duty_holders
    client.force_login(personas["secadmin"])
    response = client.get(reverse("accounts:user_grant", args=[personas["dept"].pk]))
    assert response.status_code == 200
    assert "区教育局" in response.content.decode()


def test_a_system_admin_changes_a_department_users_name(client, duty_holders):
    personas = duty_holders
    client.force_login(personas["sysadmin"])
    response = client.post(
        reverse("accounts:user_edit", args=[personas["dept"].pk]),
        {"username": "dept", "full_name": "教育局张三", "is_active": "on"},
    )
    assert response.status_code == 302
    personas["dept"].refresh_from_db()
    assert personas["dept"].first_name == "教育局张三"


def test_a_department_account_granted_without_a_region_stays_in_the_list(client, duty_holders):
    personas = duty_holders
    granted = _grant(client, personas, "jy2", role="department_user", department="JY")
    assert granted.status_code == 302
    new = get_user_model().objects.get(username="jy2")
    assert new.profile.region == personas["county"]  # kept inside the granter's own scope
    assert (
        reverse("accounts:user_grant", args=[new.pk])
        in client.get(reverse("accounts:users")).content.decode()
    )


def test_a_department_with_no_units_yet_can_get_its_first_account(client, duty_holders):
    personas = duty_holders
    Department.objects.create(code="NEW", name="区数据局")
    granted = _grant(client, personas, "sj1", role="department_user", department="NEW")
    assert granted.status_code == 302
    assert get_user_model().objects.get(username="sj1").profile.department.code == "NEW"


def test_a_system_admin_does_not_see_another_countys_department_users(client, duty_holders, neighbour):
    personas = duty_holders
    client.force_login(personas["sysadmin"])
    page = client.get(reverse("accounts:users")).content.decode()
    assert "weijian" not in page
    assert client.get(reverse("accounts:user_edit", args=[neighbour["user"].pk])).status_code == 404


def test_a_security_admin_cannot_grant_another_countys_department(client, duty_holders, neighbour):
    personas = duty_holders
    response = _grant(client, personas, "wj2", role="department_user", department="WJ")
    assert "源汇区卫健委" not in response.content.decode()
    assert response.status_code == 200
    assert _role("wj2") == ""


def test_a_grid_worker_without_a_region_is_told_a_region_is_required(client, duty_holders):
    response = _grant(client, duty_holders, "wg9", role="grid_worker")
    page = response.content.decode()
    assert response.status_code == 200
    assert "村/网格员账号必须选择所在区划" in page
    assert "只能授予" not in page  # not the message about regions outside the admin's own
    assert _role("wg9") == ""


def test_the_grant_form_does_not_list_every_region(client, duty_holders):
    personas = duty_holders
    client.force_login(personas["secadmin"])
    form = client.get(reverse("accounts:user_grant", args=[personas["town_a"].pk])).content.decode()
    assert f'<option value="{personas["grid"].code}"' not in form
    assert reverse("accounts:region_search") in form


def test_a_region_is_granted_by_its_code(client, duty_holders):
    personas = duty_holders
    response = _grant(client, personas, "wg1", role="grid_worker", region=personas["grid"].code)
    assert response.status_code == 302
    assert get_user_model().objects.get(username="wg1").profile.region == personas["grid"]


def test_a_region_outside_the_admins_county_is_refused_in_chinese(client, duty_holders, neighbour):
    response = _grant(client, duty_holders, "wg2", role="grid_worker", region=neighbour["town"].code)
    assert "不在您的管辖范围内" in response.content.decode()
    assert _role("wg2") == ""


def test_the_region_search_finds_a_village_by_name_with_its_place(client, duty_holders):
    personas = duty_holders
    client.force_login(personas["secadmin"])
    page = client.get(reverse("accounts:region_search"), {"q": "金牛"}).content.decode()
    assert personas["jinniu"].code in page
    assert "沙北街道" in page  # where it lies, so two villages of one name can be told apart


def test_the_region_search_finds_a_grid_by_code(client, duty_holders):
    personas = duty_holders
    client.force_login(personas["secadmin"])
    page = client.get(reverse("accounts:region_search"), {"q": personas["grid"].code}).content.decode()
    assert "金牛社区第一网格" in page


def test_the_region_search_stays_inside_the_admins_county(client, duty_holders, neighbour):
    personas = duty_holders
    client.force_login(personas["secadmin"])
    page = client.get(reverse("accounts:region_search"), {"q": "街道"}).content.decode()
    assert "沙北街道" in page
    assert "马路街街道" not in page


def test_the_region_tree_opens_on_the_admins_county_and_its_towns(client, duty_holders):
    personas = duty_holders
    client.force_login(personas["secadmin"])
    page = client.get(reverse("accounts:region_search")).content.decode()
    assert "郾城区" in page and "沙北街道" in page and "商桥镇" in page
    assert "金牛社区" not in page  # one level at a time


def test_the_region_tree_opens_a_town_on_its_villages(client, duty_holders):
    personas = duty_holders
    client.force_login(personas["secadmin"])
    page = client.get(reverse("accounts:region_search"), {"parent": personas["shabei"].code}).content.decode()
    assert "金牛社区" in page and "东湾村" not in page


def test_the_region_tree_does_not_open_another_county(client, duty_holders, neighbour):
    personas = duty_holders
    client.force_login(personas["secadmin"])
    response = client.get(reverse("accounts:region_search"), {"parent": neighbour["county"].code})
    assert response.status_code == 404


def test_the_region_search_is_for_security_administrators_only(client, personas):
    client.force_login(personas["town_a"])
    assert client.get(reverse("accounts:region_search"), {"q": "金牛"}).status_code == 403


def test_with_two_counties_a_department_without_units_belongs_to_neither_administrator(
    client, duty_holders, neighbour
):
    # Found in review: 源汇区's administrator could take over, or create a watcher for, a department 郾城区
    # made accounts for before its units were imported.
    Department.objects.create(code="MZ", name="区民政局")
    refused = _grant(client, duty_holders, "mz1", role="department_user", department="MZ")
    assert "区民政局" not in refused.content.decode()
    assert refused.status_code == 200
    assert _role("mz1") == ""
