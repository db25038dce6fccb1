"""Which accounts a county administrator sees and manages, and the region picker of the account form.

A department user has no region; their department belongs to the county its units stand in. An
administrator manages the department users of departments whose units all stand in their subtree, and of
departments that have no units yet (so the first account of a new department can be made).
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
def neighbour(personas):
    """源汇区, the next county of the city, with its own health bureau (a hospital there) and its user."""
    county = region_create(code="411102000000", name="源汇区", level=Level.COUNTY, parent=personas["city"])
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


def _account(**fields) -> dict:
    return {"full_name": "某人", "password": PASSWORD, "is_active": "on"} | fields


def test_a_county_admin_sees_the_department_users_of_the_county(client, personas):
    client.force_login(personas["admin_user"])
    page = client.get(reverse("accounts:users")).content.decode()
    assert reverse("accounts:user_edit", args=[personas["dept"].pk]) in page


def test_a_county_admin_opens_a_department_users_page(client, personas):
    client.force_login(personas["admin_user"])
    response = client.get(reverse("accounts:user_edit", args=[personas["dept"].pk]))
    assert response.status_code == 200
    assert "区教育局" in response.content.decode()


def test_a_county_admin_changes_a_department_users_name(client, personas):
    client.force_login(personas["admin_user"])
    response = client.post(
        reverse("accounts:user_edit", args=[personas["dept"].pk]),
        _account(
            username="dept", full_name="教育局张三", role="department_user", department="JY", password=""
        ),
    )
    assert response.status_code == 302
    personas["dept"].refresh_from_db()
    assert personas["dept"].first_name == "教育局张三"


def test_a_department_account_made_without_a_region_appears_in_the_list(client, personas):
    client.force_login(personas["admin_user"])
    created = client.post(
        reverse("accounts:user_create"), _account(username="jy2", role="department_user", department="JY")
    )
    assert created.status_code == 302
    new = get_user_model().objects.get(username="jy2")
    assert (
        reverse("accounts:user_edit", args=[new.pk]) in client.get(reverse("accounts:users")).content.decode()
    )


def test_a_department_with_no_units_yet_can_get_its_first_account(client, personas):
    Department.objects.create(code="NEW", name="区数据局")
    client.force_login(personas["admin_user"])
    created = client.post(
        reverse("accounts:user_create"), _account(username="sj1", role="department_user", department="NEW")
    )
    assert created.status_code == 302
    assert get_user_model().objects.get(username="sj1").profile.department.code == "NEW"


def test_a_county_admin_does_not_see_another_countys_department_users(client, personas, neighbour):
    client.force_login(personas["admin_user"])
    page = client.get(reverse("accounts:users")).content.decode()
    assert "weijian" not in page
    assert client.get(reverse("accounts:user_edit", args=[neighbour["user"].pk])).status_code == 404


def test_a_county_admin_cannot_grant_another_countys_department(client, personas, neighbour):
    client.force_login(personas["admin_user"])
    form = client.get(reverse("accounts:user_create")).content.decode()
    assert "源汇区卫健委" not in form
    response = client.post(
        reverse("accounts:user_create"), _account(username="wj2", role="department_user", department="WJ")
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="wj2").exists()


def test_a_grid_worker_without_a_region_is_told_a_region_is_required(client, personas):
    client.force_login(personas["admin_user"])
    response = client.post(reverse("accounts:user_create"), _account(username="wg9", role="grid_worker"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "村/网格员账号必须选择所在区划" in page
    assert "只能授予" not in page  # not the message about regions outside the admin's own
    assert not get_user_model().objects.filter(username="wg9").exists()


def test_the_account_form_does_not_list_every_region(client, personas):
    client.force_login(personas["admin_user"])
    form = client.get(reverse("accounts:user_create")).content.decode()
    assert f'<option value="{personas["grid"].code}"' not in form
    assert reverse("accounts:region_search") in form


def test_a_region_is_granted_by_its_code(client, personas):
    client.force_login(personas["admin_user"])
    response = client.post(
        reverse("accounts:user_create"),
        _account(username="wg1", role="grid_worker", region=personas["grid"].code),
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(username="wg1").profile.region == personas["grid"]


def test_a_region_outside_the_admins_county_is_refused_in_chinese(client, personas, neighbour):
    client.force_login(personas["admin_user"])
    response = client.post(
        reverse("accounts:user_create"),
        _account(username="wg2", role="grid_worker", region=neighbour["town"].code),
    )
    assert "不在您的管辖范围内" in response.content.decode()
    assert not get_user_model().objects.filter(username="wg2").exists()


def test_the_region_search_finds_a_village_by_name_with_its_place(client, personas):
    client.force_login(personas["admin_user"])
    page = client.get(reverse("accounts:region_search"), {"q": "金牛"}).content.decode()
    assert personas["jinniu"].code in page
    assert "沙北街道" in page  # where it lies, so two villages of one name can be told apart


def test_the_region_search_finds_a_grid_by_code(client, personas):
    client.force_login(personas["admin_user"])
    page = client.get(reverse("accounts:region_search"), {"q": personas["grid"].code}).content.decode()
    assert "金牛社区第一网格" in page


def test_the_region_search_stays_inside_the_admins_county(client, personas, neighbour):
    client.force_login(personas["admin_user"])
    page = client.get(reverse("accounts:region_search"), {"q": "街道"}).content.decode()
    assert "沙北街道" in page
    assert "马路街街道" not in page


def test_the_region_tree_opens_on_the_admins_county_and_its_towns(client, personas):
    client.force_login(personas["admin_user"])
    page = client.get(reverse("accounts:region_search")).content.decode()
    assert "郾城区" in page and "沙北街道" in page and "商桥镇" in page
    assert "金牛社区" not in page  # one level at a time


def test_the_region_tree_opens_a_town_on_its_villages(client, personas):
    client.force_login(personas["admin_user"])
    page = client.get(reverse("accounts:region_search"), {"parent": personas["shabei"].code}).content.decode()
    assert "金牛社区" in page and "东湾村" not in page


def test_the_region_tree_does_not_open_another_county(client, personas, neighbour):
    client.force_login(personas["admin_user"])
    response = client.get(reverse("accounts:region_search"), {"parent": neighbour["county"].code})
    assert response.status_code == 404


def test_the_region_search_is_for_administrators_only(client, personas):
    client.force_login(personas["town_a"])
    assert client.get(reverse("accounts:region_search"), {"q": "金牛"}).status_code == 403


def test_with_two_counties_a_department_without_units_belongs_to_neither_administrator(
    client, personas, neighbour
):
    # Found in review: 源汇区's administrator could take over, or create a watcher for, a department 郾城区
    # made accounts for before its units were imported.
    Department.objects.create(code="MZ", name="区民政局")
    client.force_login(personas["admin_user"])
    assert "区民政局" not in client.get(reverse("accounts:user_create")).content.decode()
    refused = client.post(
        reverse("accounts:user_create"), _account(username="mz1", role="department_user", department="MZ")
    )
    assert refused.status_code == 200
    assert not get_user_model().objects.filter(username="mz1").exists()
