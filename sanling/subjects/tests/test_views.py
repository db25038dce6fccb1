import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_the_excel_export_holds_exactly_the_filtered_rows(client, personas):
    client.force_login(personas["admin_user"])
    response = client.get(reverse("subjects:export") + "?kind=institution")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["U1"]


def test_the_list_filters_by_compliance_in_a_period(client, personas):
    client.force_login(personas["admin_user"])
    content = client.get(reverse("subjects:list") + "?compliance=failing&period=2025").content.decode()
    assert "金牛社区" in content and "东湾食品厂" in content and "实验小学" not in content


def test_a_subject_page_says_why_it_is_not_compliant(client, personas):
    client.force_login(personas["town_a"])
    content = client.get(
        reverse("subjects:detail", kwargs={"pk": personas["jinniu_village"].pk}) + "?year=2025"
    ).content.decode()
    assert "未达标原因" in content and "金牛盗窃案" in content


def test_phones_are_masked_on_screen(client, personas):
    subject = personas["school"]
    subject.contact_phone = "13800001234"
    subject.save()
    client.force_login(personas["town_a"])
    content = client.get(reverse("subjects:detail", kwargs={"pk": subject.pk})).content.decode()
    assert "138****1234" in content and "13800001234" not in content
