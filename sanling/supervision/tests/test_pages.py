"""The pages: record a visit (and keep what was typed when refused), the letter's steps, downloads, the
rules; each in the reader's scope."""

import datetime
import io

import docx
import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sanling.supervision.models import Finding, Letter, LetterStatus, LetterTemplate, SupervisionVisit

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _visit_post(subject_code: str, **extra) -> dict:
    return {
        "visited_on": "2025-03-03",
        "visitors": "镇督查组 王明",
        "place": "村委会",
        "summary": "检查创建台账",
        "finding-1-subject": subject_code,
        "finding-1-text": "落实不细不实",
        **extra,
    }


def test_a_town_operator_records_a_visit_whose_finding_proposes_a_reminder(
    client, casework, settings, tmp_path
):
    settings.ATTACHMENT_DIR = tmp_path
    client.force_login(casework["town_b"])
    data = _visit_post(
        "V2", **{"finding-1-photo": SimpleUploadedFile("现场.png", PNG, content_type="image/png")}
    )
    response = client.post(reverse("supervision:visit_create"), data)
    visit = SupervisionVisit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "supervision:visit", args=[visit.ref]
    )
    letter = Letter.objects.get()
    assert (letter.subject.code, letter.kind, letter.status) == ("V2", "reminder", LetterStatus.PROPOSED)
    page = client.get(response["Location"]).content.decode()
    assert "落实不细不实" in page and "现场.png" in page
    photo = Finding.objects.get().photos.get()
    assert client.get(reverse("supervision:photo", args=[photo.pk])).status_code == 200


def test_a_refused_visit_keeps_what_was_typed_and_writes_nothing(client, casework):
    client.force_login(casework["town_a"])
    response = client.post(reverse("supervision:visit_create"), _visit_post("V2"))  # 东湾村 is not 沙北's
    assert response.status_code == 400
    page = response.content.decode()
    assert "镇督查组 王明" in page and "检查创建台账" in page and "落实不细不实" in page
    assert not SupervisionVisit.objects.exists() and not Letter.objects.exists()


def test_a_visit_without_a_finding_is_refused(client, casework):
    client.force_login(casework["town_b"])
    data = _visit_post("", **{"finding-1-text": ""})
    assert client.post(reverse("supervision:visit_create"), data).status_code == 400
    assert not SupervisionVisit.objects.exists()


@pytest.mark.parametrize("user", ["viewer", "grid_a", "auditor"])
def test_who_does_not_supervise_cannot_record_a_visit(client, casework, user):
    client.force_login(casework[user])
    assert client.get(reverse("supervision:visit_create")).status_code == 403
    assert client.post(reverse("supervision:visit_create"), _visit_post("V1")).status_code == 403


def test_the_visit_form_works_on_a_phone(client, casework):
    client.force_login(casework["town_b"])
    page = client.get(reverse("supervision:visit_create")).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'class="stack"' in page
    assert 'name="finding-1-subject"' in page and 'list="subject-options"' in page


def test_issuing_out_of_order_on_the_page_is_refused_with_nothing_written(client, ladder):
    client.force_login(ladder["town_b"])
    notice = ladder["letters"][1]
    response = client.post(
        reverse("supervision:letter_issue", args=[notice.ref]),
        {"sent_to": ladder["org_shangqiao"].pk, "version": 1},
    )
    assert response.status_code == 400
    assert ladder["letters"][0].ref in response.content.decode()
    notice.refresh_from_db()
    assert notice.status == LetterStatus.PROPOSED and notice.version == 1


def test_issuing_the_reminder_on_the_page(client, ladder):
    client.force_login(ladder["town_b"])
    reminder = ladder["letters"][0]
    response = client.post(
        reverse("supervision:letter_issue", args=[reminder.ref]),
        {"sent_to": ladder["org_shangqiao"].pk, "number": "商督〔2025〕1号", "version": 1},
    )
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert (reminder.status, reminder.number, reminder.sent_to) == (
        "issued",
        "商督〔2025〕1号",
        ladder["org_shangqiao"],
    )


def test_declining_on_the_page_needs_a_reason(client, ladder):
    client.force_login(ladder["town_b"])
    reminder = ladder["letters"][0]
    url = reverse("supervision:letter_decline", args=[reminder.ref])
    assert client.post(url, {"reason": "", "version": 1}).status_code == 400
    assert client.post(url, {"reason": "当场整改到位", "version": 1}).status_code == 302
    reminder.refresh_from_db()
    assert (reminder.status, reminder.decline_reason) == ("declined", "当场整改到位")


def test_acknowledgement_on_the_page_only_by_the_organisation_sent_to(client, ladder):
    from sanling.supervision.services import letter_issue

    letter = letter_issue(letter=ladder["letters"][0], version=1, sent_to=ladder["org_shangqiao"])
    url = reverse("supervision:letter_acknowledge", args=[letter.ref])
    client.force_login(ladder["admin_user"])  # sees the letter, is not of 商桥镇矛调中心
    assert client.post(url, {"version": 2}).status_code == 403
    client.force_login(ladder["town_a"])  # does not see it at all
    assert client.post(url, {"version": 2}).status_code == 404
    client.force_login(ladder["town_b"])
    assert "acknowledge-form" in client.get(reverse("supervision:letter", args=[letter.ref])).content.decode()
    assert client.post(url, {"version": 2}).status_code == 302
    respond = reverse("supervision:letter_respond", args=[letter.ref])
    assert client.post(respond, {"text": "已整改", "version": 3}).status_code == 302
    letter.refresh_from_db()
    assert letter.acknowledged_by == ladder["town_b"] and letter.response_text == "已整改"


@pytest.mark.parametrize("name", ["supervision:letter_docx", "supervision:letter_pdf"])
def test_the_letter_downloads_in_scope_only(client, ladder, name):
    letter = ladder["letters"][0]
    client.force_login(ladder["town_b"])
    response = client.get(reverse(name, args=[letter.ref]))
    assert response.status_code == 200
    if name.endswith("docx"):
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    else:
        text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert "东湾村" in text and "落实不细不实" in text
    for outsider in ("town_a", "dept"):
        client.force_login(ladder[outsider])
        assert client.get(reverse(name, args=[letter.ref])).status_code == 404


def test_the_letters_list_filters_overdue(client, ladder):
    from sanling.supervision.services import letter_issue

    letter_issue(
        letter=ladder["letters"][0], version=1, sent_to=ladder["org_shangqiao"], on=datetime.date(2025, 3, 4)
    )
    client.force_login(ladder["town_b"])
    page = client.get(reverse("supervision:letters"), {"status": "overdue"}).content.decode()
    assert ladder["letters"][0].ref in page and ladder["letters"][1].ref not in page


def test_the_subject_page_shows_the_ladder(client, ladder):
    client.force_login(ladder["town_b"])
    page = client.get(reverse("subjects:detail", args=[ladder["dongwan_village"].pk])).content.decode()
    assert 'id="subject-ladder"' in page
    for letter in ladder["letters"]:
        assert letter.ref in page


def test_the_county_administrator_sets_the_window_and_edits_a_template(client, ladder):
    client.force_login(ladder["admin_user"])
    assert client.get(reverse("supervision:rules")).status_code == 200
    response = client.post(
        reverse("supervision:rules"),
        {
            "window_days": 30,
            "reminder_days": 5,
            "notice_days": 5,
            "interview_days": 5,
            "accountability_days": 5,
        },
    )
    assert response.status_code == 302
    url = reverse("supervision:template", args=["notice"])
    refused = client.post(url, {"title": "通报", "body": "{% if %}"})
    assert refused.status_code == 400 and "{% if %}" in refused.content.decode()
    assert not LetterTemplate.objects.exists()
    assert (
        client.post(
            url, {"title": "关于{{ subject.name }}的通报", "body": "{{ organisation.name }}："}
        ).status_code
        == 302
    )
    assert LetterTemplate.objects.get().title == "关于{{ subject.name }}的通报"


@pytest.mark.parametrize("user", ["town_a", "town_b", "dept", "viewer"])
def test_only_the_county_administrator_opens_the_rules(client, ladder, user):
    client.force_login(ladder[user])
    assert client.get(reverse("supervision:rules")).status_code == 403
    assert client.get(reverse("supervision:template", args=["reminder"])).status_code == 403


def test_a_county_visit_to_two_towns_shows_each_town_only_its_own_findings(client, casework):
    from sanling.accounts.scope import scope_for
    from sanling.supervision.services import FindingInput, visit_create

    visit = visit_create(
        region=casework["county"],
        visited_on=datetime.date(2025, 3, 3),
        visitors="区督查组",
        findings=[
            FindingInput(subject=casework["jinniu_village"], text="金牛台账不全"),
            FindingInput(subject=casework["dongwan_village"], text="东湾台账不全"),
        ],
        scope=scope_for(casework["admin_user"]),
    )
    client.force_login(casework["town_a"])
    page = client.get(reverse("supervision:visit", args=[visit.ref])).content.decode()
    assert "金牛台账不全" in page and "东湾" not in page


def test_a_viewer_cannot_issue_a_letter(client, ladder):
    client.force_login(ladder["viewer"])
    reminder = ladder["letters"][0]
    assert client.get(reverse("supervision:letter", args=[reminder.ref])).status_code == 200
    response = client.post(reverse("supervision:letter_issue", args=[reminder.ref]), {"version": 1})
    assert response.status_code == 403
    reminder.refresh_from_db()
    assert reminder.status == LetterStatus.PROPOSED
