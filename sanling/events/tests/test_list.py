"""The region-wide event list: scoped, filtered, paginated, exported, with the quick filter a town needs."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sanling.events.api import EventViewSet
from sanling.events.filters import EventFilter
from sanling.events.services import event_create

pytestmark = pytest.mark.django_db


def listed(client, **query) -> str:
    response = client.get(reverse("events:list"), query)
    assert response.status_code == 200
    return response.content.decode()


def exported_refs(client, **query) -> list[str]:
    response = client.get(reverse("events:export"), query)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "编号"
    return [row[0] for row in rows[1:]]


def petition(subject, day, title="信访", level="town"):
    return event_create(subject=subject, type="petition", petition_level=level, occurred_on=day, title=title)


def test_the_list_shows_the_events_of_the_users_area_only(client, personas):
    client.force_login(personas["town_a"])
    content = listed(client)
    assert "金牛盗窃案" in content and "东湾机械伤害" not in content


def test_the_export_holds_the_events_of_the_users_area_only(client, personas):
    client.force_login(personas["town_b"])
    assert exported_refs(client) == [personas["event_b"].ref]


def test_a_department_user_lists_only_its_units_events(client, personas):
    event_create(
        subject=personas["school"],
        type="criminal_case",
        occurred_on=datetime.date(2025, 4, 1),
        title="校园盗窃",
    )
    client.force_login(personas["dept"])
    content = listed(client)
    assert "校园盗窃" in content and "金牛盗窃案" not in content and "东湾机械伤害" not in content
    assert len(exported_refs(client)) == 1


def test_a_region_outside_the_users_area_is_a_chinese_message_not_their_rows(client, personas):
    client.force_login(personas["town_a"])
    response = client.get(reverse("events:list"), {"region": personas["shangqiao"].code})
    content = response.content.decode()
    assert response.status_code == 400
    assert "您的辖区内没有该编码" in content and "东湾机械伤害" not in content
    assert client.get(reverse("events:export"), {"region": personas["shangqiao"].code}).status_code == 400


def test_this_months_petitions_are_one_click_away(client, personas):
    today = timezone.localdate()
    petition(personas["jinniu_village"], today, title="本月的信访")
    petition(personas["jinniu_village"], datetime.date(2025, 3, 5), title="去年的信访")
    client.force_login(personas["town_a"])
    quick = f"type=petition&amp;period={today:%Y-%m}"
    assert quick in listed(client)
    content = listed(client, type="petition", period=f"{today:%Y-%m}")
    assert "本月的信访" in content and "去年的信访" not in content and "金牛盗窃案" not in content


def test_filters_by_region_subtree_department_subject_type_status_and_level(client, personas):
    petition(personas["jinniu_village"], datetime.date(2025, 3, 5), title="县级信访", level="county")
    client.force_login(personas["admin_user"])
    assert "东湾机械伤害" not in listed(client, region=personas["shabei"].code)
    assert "金牛盗窃案" in listed(client, region=personas["shabei"].code)
    assert "东湾机械伤害" in listed(client, department="YJ") and "金牛盗窃案" not in listed(
        client, department="YJ"
    )
    assert "金牛盗窃案" not in listed(client, subject="U2")
    assert "县级信访" in listed(client, petition_level="county")
    assert "县级信访" not in listed(client, petition_level="town")
    assert "东湾机械伤害" in listed(client, type="accident") and "金牛盗窃案" not in listed(
        client, type="accident"
    )
    assert "金牛盗窃案" not in listed(client, status="closed")


def test_the_export_holds_exactly_the_filtered_rows_of_every_page(client, personas):
    for number in range(60):
        petition(personas["jinniu_village"], datetime.date(2025, 4, 1), title=f"第{number}件")
    client.force_login(personas["admin_user"])
    refs = exported_refs(client, type="petition", period="2025-04")
    assert len(refs) == 60 and personas["event_a"].ref not in refs


@pytest.mark.parametrize(
    "query",
    [{"period": "2025Q9"}, {"period": "1800"}, {"period": "2999"}, {"type": "flood"}, {"region": "abc"}],
)
def test_an_invalid_filter_is_a_chinese_message_never_a_500(client, personas, query):
    client.force_login(personas["town_a"])
    response = client.get(reverse("events:list"), query)
    assert response.status_code == 400
    assert 'id="filter-errors"' in response.content.decode()
    export = client.get(reverse("events:export"), query)
    assert export.status_code == 400 and "未导出" in export.content.decode()


def test_each_row_links_to_its_record_and_its_subject(client, personas):
    client.force_login(personas["town_a"])
    content = listed(client)
    assert reverse("events:edit", kwargs={"pk": personas["event_a"].pk}) in content
    assert reverse("subjects:detail", kwargs={"pk": personas["jinniu_village"].pk}) in content


def test_a_viewer_sees_the_list_without_edit_links(client, personas):
    client.force_login(personas["viewer"])
    content = listed(client)
    assert "金牛盗窃案" in content
    assert reverse("events:edit", kwargs={"pk": personas["event_a"].pk}) not in content


def test_the_list_page_reads_a_bounded_number_of_queries(client, personas, django_assert_num_queries):
    client.force_login(personas["admin_user"])
    client.get(reverse("events:list"))  # the session and caches warm up
    # session, user, the profile (once: every scoped queryset asks the request's one Scope), the region,
    # department and subject named, the count, the department choices, the page, and the 我的待办 badge.
    with django_assert_num_queries(10):
        listed(client, region=personas["county"].code, department="YJ", subject="U2")
    for number in range(40):
        petition(personas["factory"], datetime.date(2025, 4, 1), title=f"第{number}件")
    with django_assert_num_queries(10):
        listed(client, region=personas["county"].code, department="YJ", subject="U2")


def test_the_api_lists_with_the_same_filterset_and_refuses_an_invalid_period(personas, api_as):
    assert EventViewSet.filterset_class is EventFilter
    api = api_as(personas["town_a"])
    assert api.get("/api/v1/events/", {"period": "2025-03"}).json()["count"] == 1
    assert api.get("/api/v1/events/", {"period": "2025Q9"}).status_code == 400


def test_the_menu_offers_the_lists_and_both_reports(client, personas):
    client.force_login(personas["town_a"])
    content = listed(client)
    for name in ("events:list", "disputes:list", "events:create", "disputes:create"):
        assert f'href="{reverse(name)}"' in content


def test_a_title_typed_as_a_formula_is_exported_as_text(client, personas):
    # Found in review: a grid worker's "=HYPERLINK(…)" would run in the Excel of whoever opens the export.
    petition(
        personas["jinniu_village"], datetime.date(2025, 4, 1), title='=HYPERLINK("http://example.com","x")'
    )
    client.force_login(personas["admin_user"])
    sheet = load_workbook(io.BytesIO(client.get(reverse("events:export")).content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if str(cell.value).startswith("=HYPERLINK")]
    assert cells and all(cell.data_type == "s" for cell in cells)
