"""信访代理 from the web, as 中站区 runs it: "按照信访人提出申请、确定代理人、登记备案、代理事项办理、结果反馈、
事项终结等程序". A matter that must be decided by a higher authority marks its petition event 须由上级解决, so
it no longer breaks 零上访."""

import datetime

import pytest
from django.urls import reverse

from sanling.assessment.periods import Period
from sanling.assessment.selectors import subject_status
from sanling.petitions.models import AgencyCase
from sanling.petitions.services import petition_create

from .conftest import NAME

pytestmark = pytest.mark.django_db

LADDER = ["申请", "确定代理人", "登记备案", "代理事项办理", "结果反馈", "事项终结"]


def advance(client, agency, **fields):
    data = {f"advance-{name}": value for name, value in fields.items()}
    data["advance-version"] = str(AgencyCase.objects.get(pk=agency.pk).version)
    return client.post(reverse("petitions:agency_advance", kwargs={"ref": agency.ref}), data)


def page(client, agency) -> str:
    return client.get(reverse("petitions:agency_detail", kwargs={"ref": agency.ref})).content.decode()


def test_an_agency_case_applied_for_on_the_web(client, petitions):
    client.force_login(petitions["town_a"])
    response = client.post(
        reverse("petitions:agency_create"),
        {"subject_code": "V1", "applied_on": "2025-03-05", "summary": "养老金补发", "applicant_name": NAME},
    )
    agency = AgencyCase.objects.get(summary="养老金补发")
    assert response.status_code == 302 and response.url == reverse(
        "petitions:agency_detail", kwargs={"ref": agency.ref}
    )
    assert agency.step == "applied" and agency.applicant_name == NAME
    content = page(client, agency)
    assert [label for label in LADDER if label in content] == LADDER
    assert '<li class="current" aria-current="step">申请</li>' in content


def test_a_petition_of_another_town_cannot_be_linked(client, petitions):
    client.force_login(petitions["town_a"])
    response = client.post(
        reverse("petitions:agency_create"),
        {
            "subject_code": "V1",
            "applied_on": "2025-03-05",
            "summary": "养老金补发",
            "petition_ref": petitions["petition_b"].ref,
        },
    )
    assert "你的辖区内没有编号为" in response.content.decode()
    assert not AgencyCase.objects.filter(summary="养老金补发").exists()


def test_the_agent_must_be_named_at_the_second_step(client, petitions):
    client.force_login(petitions["town_a"])
    agency = petitions["agency_a"]
    response = advance(client, agency, on="2025-03-04", note="指定代理人")
    content = response.content.decode()
    assert response.status_code == 400 and "请填写代理人" in content and "指定代理人" in content
    assert AgencyCase.objects.get(pk=agency.pk).step == "applied"


def test_the_ladder_to_conclusion_marks_the_petition_event_for_a_higher_authority(client, petitions):
    village = petitions["dongwan_village"]
    county_petition = petition_create(
        subject=village,
        received_on=datetime.date(2025, 3, 3),
        level="county",
        channel="visit",
        summary="跨区安置",
    )
    year = Period.of_year(2025)
    assert not subject_status(subject=village, period=year).compliant
    client.force_login(petitions["town_b"])
    client.post(
        reverse("petitions:agency_create"),
        {
            "subject_code": "V2",
            "applied_on": "2025-03-05",
            "summary": "跨区安置代理",
            "petition_ref": county_petition.ref,
        },
    )
    agency = AgencyCase.objects.get(summary="跨区安置代理")
    assert advance(client, agency, on="2025-03-06", agent_name="张代理员").status_code == 302
    assert "张代理员" in page(client, agency)
    for day in ("2025-03-07", "2025-03-10", "2025-04-01"):  # 登记备案, 代理事项办理, 结果反馈
        assert advance(client, agency, on=day).status_code == 302
    assert AgencyCase.objects.get(pk=agency.pk).step == "feedback"
    response = advance(
        client,
        agency,
        on="2025-04-05",
        satisfaction="satisfied",
        higher_authority_required="on",
        note="省级部门答复",
    )
    assert response.status_code == 302
    agency = AgencyCase.objects.get(pk=agency.pk)
    assert agency.step == "concluded" and agency.satisfaction == "satisfied" and agency.case.closed_on
    county_petition.event.refresh_from_db()
    assert county_petition.event.higher_authority_required
    assert subject_status(subject=village, period=year).compliant  # 零上访 holds again
    content = page(client, agency)
    assert 'id="advance-form"' not in content and 'id="conclusion"' in content
    assert content.count('class="timeline-entry"') == 6


def test_a_concluded_case_cannot_advance(client, petitions):
    client.force_login(petitions["town_a"])
    agency = petitions["agency_a"]
    advance(client, agency, on="2025-03-04", agent_name="张代理员")
    for day in ("2025-03-05", "2025-03-06", "2025-03-07", "2025-03-08"):
        advance(client, agency, on=day)
    response = advance(client, agency, on="2025-03-09")
    assert response.status_code == 409 and "该代理事项已终结" in response.content.decode()


def test_a_viewer_reads_the_ladder_but_cannot_advance(client, petitions):
    client.force_login(petitions["viewer"])
    agency = petitions["agency_a"]
    assert 'id="advance-form"' not in page(client, agency)
    assert advance(client, agency, on="2025-03-04", agent_name="张").status_code == 403
    assert client.get(reverse("petitions:agency_create")).status_code == 403


def test_another_towns_agency_case_is_404(client, petitions):
    client.force_login(petitions["town_a"])
    ref = petitions["agency_b"].ref
    assert client.get(reverse("petitions:agency_detail", kwargs={"ref": ref})).status_code == 404
    assert advance(client, petitions["agency_b"], on="2025-03-04", agent_name="张").status_code == 404
