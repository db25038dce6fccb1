"""Disputes carry the grid they were found in, so a grid worker's list can be their grid's."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sanling.conftest import write_csv
from sanling.disputes.models import Dispute
from sanling.disputes.services import dispute_create, dispute_update
from sanling.exchange.exporter import bundle_export
from sanling.exchange.importer import bundle_import
from sanling.exchange.reader import BundleInvalid
from sanling.grids.services import post_create
from sanling.regions.models import Level
from sanling.regions.services import region_create

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 3)
HEADER = ["ref", "subject_code", "reported_on", "summary", "grid_code"]


@pytest.fixture
def dongwan_grid(personas):
    return region_create(
        code="411103100201001", name="东湾一组", level=Level.GRID, parent=personas["dongwan"]
    )


def test_a_dispute_records_a_grid_of_its_subjects_village(personas):
    dispute = dispute_create(
        subject=personas["jinniu_village"], reported_on=DAY, summary="邻里", grid=personas["grid"]
    )
    assert dispute.grid == personas["grid"]


def test_a_grid_of_another_village_is_refused(personas, dongwan_grid):
    with pytest.raises(ValidationError) as failure:
        dispute_create(subject=personas["jinniu_village"], reported_on=DAY, summary="邻里", grid=dongwan_grid)
    assert "grid" in failure.value.message_dict
    with pytest.raises(ValidationError):
        dispute_update(dispute=personas["dispute_a"], version=None, grid=dongwan_grid)


def test_a_unit_at_a_town_may_name_a_grid_of_that_town(personas, dongwan_grid):
    """The 商桥 factory stands at 东湾村; a unit standing at the town itself takes any of its grids."""
    dispute = dispute_create(subject=personas["factory"], reported_on=DAY, summary="欠薪", grid=dongwan_grid)
    assert dispute.grid == dongwan_grid


def test_the_list_filters_by_grid_and_by_my_grids(client, personas):
    in_grid = dispute_create(
        subject=personas["jinniu_village"], reported_on=DAY, summary="网格里的纠纷", grid=personas["grid"]
    )
    post_create(
        region=personas["grid"],
        post_type="grid_member",
        holder_name="网格员",
        started_on=DAY,
        user=personas["grid_a"],
    )
    client.force_login(personas["grid_a"])
    page = client.get(reverse("disputes:list"), {"my_grids": "mine"}).content.decode()
    assert in_grid.summary in page and "金牛邻里纠纷" not in page
    page = client.get(reverse("disputes:list"), {"grid": personas["grid"].code}).content.decode()
    assert in_grid.summary in page and "金牛邻里纠纷" not in page


def test_the_form_takes_the_grid(client, personas):
    client.force_login(personas["town_a"])
    response = client.post(
        reverse("disputes:create"),
        {
            "subject_code": "V1",
            "reported_on": "2025-03-04",
            "summary": "表单纠纷",
            "status": "open",
            "grid": personas["grid"].code,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Dispute.objects.get(summary="表单纠纷").grid == personas["grid"]


def test_the_api_takes_the_grid(api_as, personas):
    answer = api_as(personas["town_a"]).post(
        "/api/v1/disputes/",
        {"subject": "V1", "reported_on": "2025-03-04", "summary": "接口纠纷", "grid": personas["grid"].code},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["grid"] == personas["grid"].code


def test_disputes_csv_imports_and_exports_the_grid_and_old_files_stay_valid(personas, tmp_path):
    write_csv(
        tmp_path / "b",
        "disputes.csv",
        [HEADER, ["DG1", "V1", "2025-03-05", "导入纠纷", personas["grid"].code]],
    )
    bundle_import(tmp_path / "b")
    assert Dispute.objects.get(ref="DG1").grid == personas["grid"]
    write_csv(tmp_path / "c", "disputes.csv", [HEADER[:4], ["DG1", "V1", "2025-03-05", "导入纠纷改"]])
    bundle_import(tmp_path / "c")  # a file without the column keeps the stored grid
    assert Dispute.objects.get(ref="DG1").grid == personas["grid"]
    out = tmp_path / "export"
    bundle_export(out)
    assert personas["grid"].code in (out / "disputes.csv").read_text(encoding="utf-8-sig")
    assert not bundle_import(out).changed


def test_disputes_csv_refuses_a_grid_of_another_village(personas, dongwan_grid, tmp_path):
    write_csv(
        tmp_path / "b", "disputes.csv", [HEADER, ["DG2", "V1", "2025-03-05", "导入纠纷", dongwan_grid.code]]
    )
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(tmp_path / "b")
    (error,) = invalid.value.errors
    assert "网格代码" in error.column
    assert not Dispute.objects.filter(ref="DG2").exists()
