"""The Django admin changes regions only through the region services (as a superuser at /admin/)."""

import pytest

from sanling.assessment.services import assessment_check
from sanling.audit.models import AuditEntry
from sanling.regions.models import Region, RegionHistory

pytestmark = pytest.mark.django_db


def change_url(region):
    return f"/admin/regions/region/{region.pk}/change/"


def form_of(region, **changes):
    data = {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "parent": region.parent_id or "",
        "moved_on": "",
        "note": "",
    }
    return data | changes


def test_changing_a_regions_parent_in_the_admin_moves_its_subtree_with_history_and_audit(
    admin_client, county
):
    # 金牛社区 (with its grid) moves from 沙北街道 to 商桥镇.
    jinniu, shangqiao = county["jinniu"], county["shangqiao"]
    response = admin_client.post(
        change_url(jinniu), form_of(jinniu, parent=shangqiao.pk, moved_on="2025-07-01", note="村改居")
    )
    assert response.status_code == 302
    jinniu.refresh_from_db()
    assert jinniu.path == f"{shangqiao.path}{jinniu.code}/"
    assert Region.objects.get(pk=county["grid"].pk).path.startswith(jinniu.path)
    assert RegionHistory.objects.filter(region=jinniu, path__startswith=county["shabei"].path).exists()
    assert AuditEntry.objects.filter(object_type="region", object_key=jinniu.code, action="update").exists()
    assert assessment_check() == []


def test_a_parent_change_in_the_admin_without_a_move_date_is_refused_in_chinese(admin_client, county):
    jinniu = county["jinniu"]
    response = admin_client.post(change_url(jinniu), form_of(jinniu, parent=county["shangqiao"].pk))
    assert response.status_code == 200
    assert "请填写调整日期" in response.content.decode()
    jinniu.refresh_from_db()
    assert jinniu.parent_id == county["shabei"].pk


def test_a_move_under_the_wrong_level_shows_the_services_message_on_the_admin_form(admin_client, county):
    jinniu = county["jinniu"]
    response = admin_client.post(
        change_url(jinniu), form_of(jinniu, parent=county["county"].pk, moved_on="2025-07-01")
    )
    assert response.status_code == 200
    assert "不能隶属于" in response.content.decode()
    jinniu.refresh_from_db()
    assert jinniu.parent_id == county["shabei"].pk


def test_adding_a_region_in_the_admin_creates_it_through_region_create(admin_client, county):
    shabei = county["shabei"]
    response = admin_client.post(
        "/admin/regions/region/add/",
        {"code": "411103001002", "name": "金山社区", "level": "village", "parent": shabei.pk},
    )
    assert response.status_code == 302
    region = Region.objects.get(code="411103001002")
    assert (region.path, region.depth) == (f"{shabei.path}411103001002/", shabei.depth + 1)
    assert AuditEntry.objects.filter(
        object_type="region", object_key="411103001002", action="create"
    ).exists()


def test_adding_a_region_with_a_bad_code_shows_the_chinese_message_on_the_admin_form(admin_client, county):
    response = admin_client.post(
        "/admin/regions/region/add/",
        {"code": "123", "name": "金山社区", "level": "village", "parent": county["shabei"].pk},
    )
    assert response.status_code == 200
    assert "统计用区划代码" in response.content.decode()
    assert not Region.objects.filter(name="金山社区").exists()


def test_renaming_a_region_in_the_admin_goes_through_a_service_and_is_audited(admin_client, county):
    dongwan = county["dongwan"]
    response = admin_client.post(change_url(dongwan), form_of(dongwan, name="东湾社区"))
    assert response.status_code == 302
    dongwan.refresh_from_db()
    assert dongwan.name == "东湾社区"
    entry = AuditEntry.objects.get(object_type="region", object_key=dongwan.code, action="update")
    assert entry.changes["after"] == {"name": "东湾社区"}


def test_the_admin_cannot_delete_a_region(admin_client, county):
    response = admin_client.post(f"/admin/regions/region/{county['dongwan'].pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Region.objects.filter(pk=county["dongwan"].pk).exists()


def test_the_admins_region_pages_open(admin_client, county):
    assert admin_client.get("/admin/regions/region/").status_code == 200
    assert admin_client.get("/admin/regions/region/add/").status_code == 200
    page = admin_client.get(change_url(county["jinniu"]))
    assert page.status_code == 200
    assert "调整日期" in page.content.decode()
