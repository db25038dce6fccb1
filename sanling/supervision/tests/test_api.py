"""/api/v1/supervision-visits/, /findings/ and /letters/ with their actions."""

import io

import pypdf
import pytest

from sanling.supervision.models import Letter, LetterStatus

pytestmark = pytest.mark.django_db


def test_a_visit_created_through_the_api_proposes_its_letters(casework, api_as):
    api = api_as(casework["town_b"])
    response = api.post(
        "/api/v1/supervision-visits/",
        {
            "visited_on": "2025-03-03",
            "visitors": "镇督查组",
            "findings": [{"subject": "V2", "text": "落实不细不实"}, {"subject": "U2", "text": "台账不全"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["region"] == "411103100000" and body["level"] == "town"
    assert {Letter.objects.get(ref=row["letter"]).kind for row in body["findings"]} == {"reminder"}


def test_a_finding_on_another_towns_subject_is_refused(casework, api_as):
    response = api_as(casework["town_a"]).post(
        "/api/v1/supervision-visits/",
        {"visited_on": "2025-03-03", "visitors": "越权", "findings": [{"subject": "V2", "text": "x"}]},
        format="json",
    )
    assert response.status_code == 400
    assert not Letter.objects.exists()


def test_a_finding_added_to_a_visit_proposes_the_next_letter(ladder, api_as):
    visit = ladder["findings"][-1].visit
    response = api_as(ladder["town_b"]).post(
        "/api/v1/findings/", {"visit": visit.ref, "subject": "V2", "text": "仍未整改"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert Letter.objects.get(ref=response.json()["letter"]).kind == "accountability"


def test_letter_actions_in_order(ladder, api_as):
    api = api_as(ladder["town_b"])
    reminder, notice, _ = ladder["letters"]
    refused = api.post(f"/api/v1/letters/{notice.ref}/issue/", {"version": 1}, format="json")
    assert refused.status_code == 400 and reminder.ref in str(refused.json())
    assert (
        api.post(f"/api/v1/letters/{reminder.ref}/decline/", {"version": 1}, format="json").status_code == 400
    )
    issued = api.post(
        f"/api/v1/letters/{reminder.ref}/issue/", {"version": 1, "sent_to": "SQ-MTZX"}, format="json"
    )
    assert issued.status_code == 200 and issued.json()["status"] == LetterStatus.ISSUED
    assert issued["ETag"] == '"2"'
    outsider = api_as(ladder["admin_user"]).post(
        f"/api/v1/letters/{reminder.ref}/acknowledge/", {"version": 2}, format="json"
    )
    assert outsider.status_code == 403
    acknowledged = api.post(f"/api/v1/letters/{reminder.ref}/acknowledge/", {"version": 2}, format="json")
    assert acknowledged.json()["acknowledged_by"] == "town_b"
    answered = api.post(
        f"/api/v1/letters/{reminder.ref}/respond/", {"version": 3, "text": "已整改"}, format="json"
    )
    assert answered.json()["response_text"] == "已整改"


def test_the_letter_document_downloads_as_pdf(ladder, api_as):
    response = api_as(ladder["town_b"]).get(
        f"/api/v1/letters/{ladder['letters'][0].ref}/document/", {"as": "pdf"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "东湾村" in text
    bad = api_as(ladder["town_b"]).get(f"/api/v1/letters/{ladder['letters'][0].ref}/document/", {"as": "xls"})
    assert bad.status_code == 400


def test_the_overdue_filter(ladder, api_as):
    api = api_as(ladder["town_b"])
    assert api.get("/api/v1/letters/", {"status": "overdue"}).json()["results"] == []
    assert len(api.get("/api/v1/letters/", {"status": "proposed"}).json()["results"]) == 3
