"""The subject list says which filters it applied, and why a filter it could not apply was refused."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sanling.assessment.selectors import default_period

pytestmark = pytest.mark.django_db


def list_page(client, query: str):
    response = client.get(reverse("subjects:list") + query)
    return response, response.content.decode()


def test_a_period_that_does_not_exist_is_refused_in_chinese(client, personas):
    client.force_login(personas["admin_user"])
    response, content = list_page(client, "?period=2025Q9&compliance=failing")
    assert response.status_code == 400
    assert "“2025Q9”不是有效期间" in content
    assert "金牛社区" not in content  # no rows under a filter that was not applied


def test_a_period_that_has_not_begun_is_refused_in_chinese(client, personas):
    client.force_login(personas["admin_user"])
    response, content = list_page(client, "?period=2099&compliance=compliant")
    assert response.status_code == 400 and "2099 尚未开始" in content


def test_a_region_code_that_does_not_exist_is_said_not_silently_empty(client, personas):
    client.force_login(personas["admin_user"])
    response, content = list_page(client, "?region=abc")
    assert response.status_code == 400 and "您的辖区内没有编码为“abc”的区划" in content


def test_a_region_outside_the_users_area_is_said(client, personas):
    client.force_login(personas["town_a"])
    response, content = list_page(client, f"?region={personas['shangqiao'].code}")
    assert response.status_code == 400
    assert f"您的辖区内没有编码为“{personas['shangqiao'].code}”的区划" in content


def test_compliance_without_a_period_names_the_default_period(client, personas):
    client.force_login(personas["admin_user"])
    _response, content = list_page(client, "?compliance=failing")
    assert f"期间：{default_period().label}（默认）" in content


def test_a_chosen_period_is_named_as_chosen(client, personas):
    client.force_login(personas["admin_user"])
    _response, content = list_page(client, "?compliance=failing&period=2025Q1")
    assert "期间：2025年第1季度" in content and "（默认）" not in content


def test_the_applied_filters_are_listed_above_the_rows(client, personas):
    client.force_login(personas["admin_user"])
    _response, content = list_page(client, f"?kind=institution&region={personas['shabei'].code}")
    assert "类型：事业单位" in content and "区划：沙北街道" in content


def test_an_empty_result_says_nothing_matched_these_filters(client, personas):
    client.force_login(personas["admin_user"])
    response, content = list_page(client, "?q=不存在的名称")
    assert response.status_code == 200
    assert "没有符合条件的创建主体" in content and "名称或编码：不存在的名称" in content


def test_the_api_refuses_a_period_that_does_not_exist_in_chinese(api_as, personas):
    response = api_as(personas["admin_user"]).get("/api/v1/subjects/", {"period": "2025Q9"})
    assert response.status_code == 400 and "“2025Q9”不是有效期间" in response.content.decode()


def test_the_export_refuses_filters_it_cannot_apply_in_chinese(client, personas):
    client.force_login(personas["admin_user"])
    response = client.get(reverse("subjects:export") + "?region=abc")
    assert response.status_code == 400 and "您的辖区内没有编码为“abc”的区划" in response.content.decode()


# The export's compliance columns (item 21)


def export_rows(client, query: str) -> list[tuple]:
    response = client.get(reverse("subjects:export") + query)
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_export_says_whether_each_subject_was_compliant_in_the_period_and_why(client, personas):
    client.force_login(personas["admin_user"])
    header, *rows = export_rows(client, "?period=2025")
    status, reason = header.index("达标情况（2025年）"), header.index("未达标原因")
    by_code = {row[0]: row for row in rows}
    assert by_code["V1"][status] == "未达标" and "破零案件：2025-03-03 金牛盗窃案" in by_code["V1"][reason]
    assert by_code["U2"][status] == "未达标" and "破零事故：2025-03-03" in by_code["U2"][reason]
    assert (by_code["V2"][status], by_code["V2"][reason]) == ("达标", None)


def test_the_export_marks_subjects_not_in_the_campaign_during_the_period(client, personas):
    client.force_login(personas["admin_user"])
    header, *rows = export_rows(client, "?period=2024")
    assert {row[header.index("达标情况（2024年）")] for row in rows} == {"未纳入"}


def test_the_list_labels_a_subjects_name_名称(client, personas):
    client.force_login(personas["admin_user"])
    _response, content = list_page(client, "")
    assert "<th>名称</th>" in content and "姓名" not in content


def test_the_subject_form_labels_a_subjects_name_名称(client, personas):
    client.force_login(personas["town_a"])
    content = client.get(reverse("subjects:create")).content.decode()
    assert '<label for="id_name">名称</label>' in content and "姓名" not in content


def test_the_list_reads_as_many_queries_for_many_subjects_as_for_few(
    client, personas, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sanling.subjects.services import subject_create

    client.force_login(personas["town_a"])
    query = "?compliance=compliant&period=2025"
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("subjects:list") + query)
    for number in range(10):
        subject_create(
            code=f"U9{number}", name=f"商店{number}", kind="enterprise", category="business_outlet",
            region=personas["grid"], department=personas["education"], joined_on=personas["school"].joined_on,
        )  # fmt: skip
    with django_assert_max_num_queries(len(few)):
        content = client.get(reverse("subjects:list") + query).content.decode()
    assert "商店9" in content
