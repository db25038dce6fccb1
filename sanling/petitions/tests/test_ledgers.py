"""The Excel ledgers 信访台账, 积案台账 and 信访代理台账: Chinese headers and exactly the rows of the filtered list
(every page), audited and watermarked like every export."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sanling.audit.models import AuditEntry
from sanling.petitions.services import agency_advance, backlog_flag, petition_accept, petition_create

from .conftest import DAY

pytestmark = pytest.mark.django_db


def sheet_rows(response, sheet: str) -> list[tuple]:
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert "导出说明" in workbook.sheetnames  # the watermark
    return list(workbook[sheet].iter_rows(values_only=True))


def listed(client, url: str, filters: dict) -> list[str]:
    response = client.get(url, filters)
    assert response.status_code == 200
    return re.findall(r'<(?:tr|article)[^>]* data-ref="([^"]+)"', response.content.decode())


@pytest.fixture
def many(petitions):
    """Sixty petitions of 金牛社区 (more than a page), a third of them accepted."""
    for number in range(60):
        petition = petition_create(
            subject=petitions["jinniu_village"],
            received_on=DAY + datetime.timedelta(days=number % 20),
            level="town",
            channel="letter" if number % 2 else "online",
            summary=f"来信第{number}件",
        )
        if number % 3 == 0:
            petition_accept(petition=petition, on=petition.received_on)
    return petitions


@pytest.mark.parametrize(
    "filters",
    [{}, {"step": "handling"}, {"channel": "online", "received_from": "2025-03-10"}, {"overdue": "yes"}],
)
def test_the_petition_ledger_holds_exactly_the_rows_of_the_filtered_list(client, many, filters):
    client.force_login(many["town_a"])
    url = reverse("petitions:list")
    pages = []
    page = 1
    while True:
        refs = listed(client, url, {**filters, "page": page})
        pages += refs
        if len(refs) < 50:
            break
        page += 1
    rows = sheet_rows(client.get(reverse("petitions:export"), filters), "信访台账")
    assert rows[0][:3] == ("编号", "登记日期", "来源渠道") and "信访人" in rows[0] and "是否超期" in rows[0]
    assert sorted(row[0] for row in rows[1:]) == sorted(pages)
    assert "东湾征地补偿" not in {cell for row in rows for cell in row}  # another town's


def test_a_ledger_with_a_bad_filter_exports_nothing(client, petitions):
    client.force_login(petitions["town_a"])
    response = client.get(reverse("petitions:export"), {"received_from": "2025-13-45"})
    assert response.status_code == 400 and "未导出" in response.content.decode()


def test_the_ledger_export_is_audited_with_its_rows_and_filters(client, petitions):
    client.force_login(petitions["town_a"])
    client.get(reverse("petitions:export"), {"step": "received"})
    entry = AuditEntry.objects.filter(action="export").latest("seq")
    assert entry.changes["after"]["rows"] == {"petitions": 1}
    assert entry.changes["after"]["filters"] == "step=received"


def test_the_backlog_ledger_holds_exactly_the_flagged_cases_with_their_responsibilities(client, petitions):
    a = petitions["petition_a"]
    backlog_flag(
        item=a.case,
        on=datetime.date(2025, 4, 1),
        responsible_organisation=petitions["org_shabei"],
        responsible_person="王主任",
        leader="李书记",
        deadline=datetime.date(2025, 6, 30),
    )
    backlog_flag(
        item=petitions["petition_b"].case,
        on=datetime.date(2025, 4, 1),
        responsible_organisation=petitions["org_shangqiao"],
        responsible_person="赵主任",
        leader="钱书记",
        deadline=datetime.date(2025, 6, 30),
    )
    client.force_login(petitions["town_a"])
    assert listed(client, reverse("petitions:backlog"), {}) == [a.ref]
    rows = sheet_rows(client.get(reverse("petitions:backlog_export")), "积案台账")
    header = rows[0]
    assert header[:10] == (
        "编号",
        "类型",
        "事项",
        "主体名称",
        "属地",
        "列入日期",
        "责任单位",
        "责任人",
        "包案领导",
        "化解时限",
    )
    assert [row[0] for row in rows[1:]] == [a.ref]
    row = dict(zip(header, rows[1], strict=True))
    assert row["责任单位"] == "沙北街道矛调中心" and row["是否超期"] == "是" and row["清单完成"] == "0/8"
    assert listed(client, reverse("petitions:backlog"), {"overdue": "no"}) == []
    assert (
        sheet_rows(client.get(reverse("petitions:backlog_export"), {"overdue": "no"}), "积案台账")[1:] == []
    )


def test_the_agency_ledger_holds_exactly_the_rows_of_the_filtered_list(client, petitions):
    agency_advance(agency=petitions["agency_a"], on=DAY, agent_name="张代理")
    client.force_login(petitions["town_a"])
    assert listed(client, reverse("petitions:agency"), {"step": "agent_assigned"}) == [
        petitions["agency_a"].ref
    ]
    rows = sheet_rows(
        client.get(reverse("petitions:agency_export"), {"step": "agent_assigned"}), "信访代理台账"
    )
    assert rows[0][:6] == ("编号", "申请日期", "代理事项", "申请人", "代理人", "环节")
    assert [(row[0], row[3], row[4]) for row in rows[1:]] == [(petitions["agency_a"].ref, "欧阳**", "张代理")]
    assert (
        sheet_rows(client.get(reverse("petitions:agency_export"), {"step": "concluded"}), "信访代理台账")[1:]
        == []
    )
