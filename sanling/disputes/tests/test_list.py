"""The region-wide dispute list: scoped, filtered, exported, with 未化解纠纷 one click away."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sanling.disputes.services import dispute_create

pytestmark = pytest.mark.django_db


def listed(client, **query) -> str:
    response = client.get(reverse("disputes:list"), query)
    assert response.status_code == 200
    return response.content.decode()


def test_unresolved_disputes_are_one_click_away(client, personas):
    dispute_create(
        subject=personas["jinniu_village"],
        reported_on=datetime.date(2025, 3, 4),
        summary="已化解的纠纷",
        status="resolved",
        resolved_level="village",
        resolved_on=datetime.date(2025, 3, 5),
    )
    dispute_create(
        subject=personas["jinniu_village"],
        reported_on=datetime.date(2025, 3, 4),
        summary="已上交",
        status="escalated",
    )
    client.force_login(personas["town_a"])
    assert "status=unresolved" in listed(client)
    content = listed(client, status="unresolved")
    assert "金牛邻里纠纷" in content and "已上交" in content and "已化解的纠纷" not in content


def test_the_list_and_export_show_the_users_area_only(client, personas):
    client.force_login(personas["town_a"])
    content = listed(client)
    assert "金牛邻里纠纷" in content and "东湾土地纠纷" not in content
    response = client.get(reverse("disputes:export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [personas["dispute_a"].ref]


def test_an_invalid_period_is_a_chinese_message(client, personas):
    client.force_login(personas["town_a"])
    response = client.get(reverse("disputes:list"), {"period": "abc"})
    assert response.status_code == 400 and "不是有效期间" in response.content.decode()


def test_the_export_holds_exactly_the_filtered_rows(client, personas):
    client.force_login(personas["admin_user"])
    response = client.get(reverse("disputes:export"), {"region": personas["shangqiao"].code})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [personas["dispute_b"].ref]
    assert rows[1][rows[0].index("主体名称")] == "东湾村"
