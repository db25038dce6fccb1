"""The ledger, its Excel export, the create form and an assignment's page with its moves."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sanling.assignments.models import Assignment, AssignmentStatus
from sanling.assignments.services import assignment_feedback

from .conftest import give, photo

pytestmark = pytest.mark.django_db


def sheet_rows(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return [row for row in workbook["交办台账"].iter_rows(values_only=True)]


def test_the_ledger_shows_the_givers_subtree_and_the_receivers_own(client, jb):
    give(jb, issue="商桥镇交办事项")
    give(jb, organisation="org_shabei", issue="沙北街道交办事项")
    client.force_login(jb["admin_user"])
    page = client.get(reverse("assignments:list")).content.decode()
    assert "商桥镇交办事项" in page and "沙北街道交办事项" in page
    client.force_login(jb["town_b"])
    page = client.get(reverse("assignments:list")).content.decode()
    assert "商桥镇交办事项" in page and "沙北街道交办事项" not in page
    client.force_login(jb["dept"])
    page = client.get(reverse("assignments:list")).content.decode()
    assert "商桥镇交办事项" not in page


def test_an_assignment_to_an_organisation_without_a_head_has_no_owner_and_the_ledger_still_opens(client, jb):
    # Found in the demo: the county's ledger answered 500 on an assignment nobody owns yet.
    give(jb, organisation="org_jinniu", issue="金牛社区夜间巡防")
    client.force_login(jb["admin_user"])
    response = client.get(reverse("assignments:list"))
    assert response.status_code == 200
    assert "金牛社区夜间巡防" in response.content.decode()


def test_the_export_holds_exactly_the_filtered_rows(client, jb):
    overdue = give(jb, days_ago=9, due_in=-2, issue="逾期事项")
    give(jb, issue="未逾期事项")
    give(jb, organisation="org_shabei", days_ago=9, due_in=-1, issue="沙北逾期")
    client.force_login(jb["admin_user"])
    query = {"overdue": "true", "organisation": "SQ-MTZX"}
    listed = client.get(reverse("assignments:list"), query).content.decode()
    assert "逾期事项" in listed and "未逾期事项" not in listed and "沙北逾期" not in listed
    rows = sheet_rows(client.get(reverse("assignments:export"), query))
    assert rows[0][0] == "编号"
    assert [row[0] for row in rows[1:]] == [overdue.ref]
    assert rows[1][-1] == "是"


def test_the_export_of_another_towns_user_holds_none_of_ours(client, jb):
    give(jb, issue="商桥镇交办事项")
    client.force_login(jb["town_a"])
    rows = sheet_rows(client.get(reverse("assignments:export")))
    assert rows[1:] == []


def test_an_organisation_outside_the_area_is_a_filter_error_not_an_empty_list(client, jb):
    client.force_login(jb["town_a"])
    response = client.get(reverse("assignments:list"), {"organisation": "SQ-MTZX"})
    assert response.status_code == 400
    assert client.get(reverse("assignments:export"), {"organisation": "SQ-MTZX"}).status_code == 400


def test_a_county_administrator_gives_an_assignment_by_hand(client, jb):
    client.force_login(jb["admin_user"])
    response = client.post(
        reverse("assignments:create"),
        {"organisation": "SQ-MTZX", "issue": "本周排查东湾村", "due_on": "2099-01-01", "subjects": "V2"},
    )
    assignment = Assignment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{assignment.ref}/")
    assert list(assignment.subjects.values_list("code", flat=True)) == ["V2"]
    assert assignment.giver_region == jb["county"]


def test_the_create_form_keeps_what_was_typed_on_error(client, jb):
    client.force_login(jb["admin_user"])
    response = client.post(
        reverse("assignments:create"),
        {"organisation": "SQ-MTZX", "issue": "保留这段文字", "subjects": "NOPE"},
    )
    assert response.status_code == 400
    assert "保留这段文字" in response.content.decode()
    assert not Assignment.objects.exists()


def test_a_department_user_or_a_grid_worker_cannot_give(client, jb):
    for name in ("dept", "grid_a", "viewer"):
        client.force_login(jb[name])
        assert client.get(reverse("assignments:create")).status_code == 403
        assert client.get(reverse("assignments:from_warnings")).status_code == 403


def test_feedback_from_the_page_keeps_input_and_says_why_when_refused(client, jb):
    assignment = give(jb, days_ago=9, due_in=-1)
    client.force_login(jb["town_b"])
    url = reverse("assignments:feedback", args=[assignment.ref])
    response = client.post(
        url, {"text": "这是反馈内容", "evidence": [photo()], "version": assignment.version}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "这是反馈内容" in page and 'data-field="late_reason"' in page
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.PENDING
    response = client.post(
        url,
        {
            "text": "这是反馈内容",
            "evidence": [photo()],
            "late_reason": "人手不足",
            "version": assignment.version,
        },
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.FED_BACK
    assert (
        client.get(
            reverse("assignments:evidence", args=[assignment.ref, assignment.evidence.get().pk])
        ).status_code
        == 200
    )


def test_the_page_offers_each_side_only_its_own_moves(client, jb):
    assignment = give(jb)
    client.force_login(jb["town_b"])
    page = client.get(reverse("assignments:detail", args=[assignment.ref])).content.decode()
    assert 'id="move-feedback"' in page and 'id="move-accept"' not in page
    client.force_login(jb["admin_user"])
    page = client.get(reverse("assignments:detail", args=[assignment.ref])).content.decode()
    assert 'id="move-feedback"' not in page
    assignment_feedback(assignment=assignment, user=jb["town_b"], text="已处理", evidence=[photo()])
    page = client.get(reverse("assignments:detail", args=[assignment.ref])).content.decode()
    assert 'id="move-accept"' in page and 'id="move-return"' in page
    response = client.post(reverse("assignments:accept", args=[assignment.ref]), {"version": 2})
    assert response.status_code == 302
    assert Assignment.objects.get().status == AssignmentStatus.DONE


def test_the_receiver_posting_accept_is_refused(client, jb):
    assignment = give(jb)
    assignment_feedback(assignment=assignment, user=jb["town_b"], text="已处理", evidence=[photo()])
    client.force_login(jb["town_b"])
    response = client.post(reverse("assignments:accept", args=[assignment.ref]), {"version": 2})
    assert response.status_code == 403
    assert Assignment.objects.get().status == AssignmentStatus.FED_BACK


def test_another_town_cannot_open_an_assignment_or_its_evidence(client, jb):
    assignment = give(jb)
    assignment_feedback(assignment=assignment, user=jb["town_b"], text="已处理", evidence=[photo()])
    client.force_login(jb["town_a"])
    assert client.get(reverse("assignments:detail", args=[assignment.ref])).status_code == 404
    evidence = assignment.evidence.get()
    assert client.get(reverse("assignments:evidence", args=[assignment.ref, evidence.pk])).status_code == 404


def test_the_warning_list_page_opens_and_refuses_an_empty_pick(client, jb):
    client.force_login(jb["admin_user"])
    assert client.get(reverse("assignments:from_warnings")).status_code == 200
    response = client.post(reverse("assignments:from_warnings"), {"due_on": "2099-01-01"})
    assert response.status_code == 400
    assert not Assignment.objects.exists()


def test_a_stale_page_changes_nothing(client, jb):
    assignment = give(jb)
    assignment_feedback(assignment=assignment, user=jb["town_b"], text="已处理", evidence=[photo()])
    client.force_login(jb["admin_user"])
    response = client.post(
        reverse("assignments:return", args=[assignment.ref]), {"reason": "补充", "version": 1}
    )
    assert response.status_code == 409
    assert Assignment.objects.get().status == AssignmentStatus.FED_BACK


def test_my_work_lists_the_assignments_waiting_for_each_side(client, jb):
    waiting = give(jb, issue="等待商桥反馈的交办")
    fed = give(jb, issue="等待区里验收的交办")
    assignment_feedback(assignment=fed, user=jb["town_b"], text="已处理", evidence=[photo()])
    client.force_login(jb["town_b"])
    page = client.get(reverse("work:mine")).content.decode()
    assert waiting.ref in page and fed.ref not in page
    client.force_login(jb["admin_user"])
    page = client.get(reverse("work:mine")).content.decode()
    assert fed.ref in page and waiting.ref not in page
    client.force_login(jb["town_a"])
    page = client.get(reverse("work:mine")).content.decode()
    assert waiting.ref not in page and fed.ref not in page
