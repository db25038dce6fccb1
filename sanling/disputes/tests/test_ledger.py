"""The 矛盾纠纷台账: exactly the rows of the filtered dispute list, with Chinese headers, where each case
stands up the 三级过滤网 and who has it; watermarked and audited like every export."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sanling.audit.models import AuditEntry
from sanling.disputes.services import dispute_create, dispute_escalate, dispute_resolve

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 3)


def ledger(client, **query) -> list[tuple]:
    response = client.get(reverse("disputes:export"), query)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "矛盾纠纷台账"
    return list(workbook.active.iter_rows(values_only=True))


@pytest.fixture
def cases(casework):
    village = casework["jinniu_village"]
    resolved = dispute_create(subject=village, reported_on=DAY, summary="村里化解")
    resolved = dispute_escalate(dispute=resolved, on=DAY, to_level="village")
    dispute_resolve(
        dispute=resolved, on=DAY + datetime.timedelta(days=2), method="people", agreement="赔偿500元"
    )
    escalated = dispute_create(subject=village, reported_on=DAY, summary="上交到镇")
    dispute_escalate(dispute=escalated, on=DAY, to_level="town", note="涉及两村")
    return {**casework, "resolved": resolved, "escalated": escalated}


def test_the_ledger_has_exactly_the_filtered_rows(client, cases):
    client.force_login(cases["town_a"])
    rows = ledger(client, status="resolved")
    assert [row[0] for row in rows[1:]] == [cases["resolved"].ref]
    unresolved = {row[0] for row in ledger(client, status="unresolved")[1:]}
    assert unresolved == {cases["escalated"].ref, cases["dispute_a"].ref}


def test_the_ledger_names_the_level_the_holder_and_the_deadline_in_chinese(client, cases):
    client.force_login(cases["town_a"])
    rows = ledger(client)
    header = rows[0]
    assert {"编号", "所处层级", "承办单位", "办理时限", "化解层级", "调解方式", "调解协议", "满意度"} <= set(
        header
    )
    by_ref = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    escalated = by_ref[cases["escalated"].ref]
    assert (escalated["所处层级"], escalated["承办单位"]) == ("乡镇", "沙北街道矛调中心")
    assert escalated["办理时限"]
    resolved = by_ref[cases["resolved"].ref]
    assert (resolved["化解层级"], resolved["调解方式"], resolved["调解协议"]) == (
        "村",
        "人民调解",
        "赔偿500元",
    )
    assert resolved["办结日期"] == (DAY + datetime.timedelta(days=2)).isoformat()


def test_the_ledger_keeps_to_the_users_area(client, cases):
    client.force_login(cases["town_b"])
    assert [row[0] for row in ledger(client)[1:]] == [cases["dispute_b"].ref]


def test_the_ledger_is_audited_with_its_row_count_and_filters(client, cases):
    client.force_login(cases["town_a"])
    ledger(client, status="resolved")
    entry = AuditEntry.objects.get(action="export")
    assert entry.verb == "export.disputes" and entry.changes["after"]["rows"] == {"disputes": 1}
    assert entry.changes["after"]["filters"] == "status=resolved"
