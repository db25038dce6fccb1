"""Defects found by using the product as each role (issue 17 review), each first as a failing test."""

import datetime

import pytest
from django.urls import reverse

from sanling.disputes.services import dispute_create, dispute_escalate, dispute_mediate
from sanling.petitions.services import agency_advance, agency_create, petition_accept, petition_create
from sanling.work.selectors import timeline_of
from sanling.work.transitions import TransitionRefused

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 3)


def test_an_edit_the_table_refuses_is_a_chinese_message_not_a_server_error(client, casework):
    dispute = dispute_create(subject=casework["jinniu_village"], reported_on=DAY, summary="邻里纠纷")
    client.force_login(casework["town_a"])
    response = client.post(
        reverse("disputes:edit", args=[dispute.pk]),
        {
            "subject_code": "V1",
            "reported_on": "2025-03-03",
            "summary": "邻里纠纷",
            "status": "petitioned",
            "version": dispute.version,
        },
    )
    assert response.status_code == 409
    assert "转信访" in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.status == "open"


def test_a_dispute_cannot_be_registered_as_already_turned_into_a_petition(casework):
    with pytest.raises(TransitionRefused, match="转信访"):
        dispute_create(
            subject=casework["jinniu_village"], reported_on=DAY, summary="征地", status="petitioned"
        )


def test_a_petition_already_accepted_cannot_be_accepted_again_to_reset_its_deadline(casework):
    petition = petition_create(
        subject=casework["dongwan_village"], received_on=DAY, level="town", channel="visit", summary="工资"
    )
    petition = petition_accept(petition=petition, on=DAY)
    due = petition.result_due_on
    with pytest.raises(TransitionRefused):
        petition_accept(petition=petition, on=DAY + datetime.timedelta(days=30))
    petition.refresh_from_db()
    assert petition.result_due_on == due


def test_the_agency_ladder_reads_in_chinese_on_the_timeline(casework):
    from django.utils import translation

    agency = agency_create(subject=casework["dongwan_village"], applied_on=DAY, summary="代理")
    agency_advance(agency=agency, on=DAY, agent_name="王主任")
    with translation.override("zh-hans"):
        labels = [entry.action_label for entry in timeline_of(agency.case)]
    assert labels == ["登记", "已确定代理人"]


def test_an_escalation_is_filed_under_the_organisation_that_escalated_and_drops_the_stage_tag(casework):
    dispute = dispute_create(
        subject=casework["jinniu_village"], reported_on=DAY, summary="宅基地", level="village"
    )
    dispute = dispute_mediate(dispute=dispute, on=DAY, diagnosis="clinic")
    dispute = dispute_escalate(dispute=dispute, on=DAY, to_level="town")
    entry = timeline_of(dispute.case)[-1]
    assert entry.action == "escalate" and entry.organisation == casework["org_jinniu"]
    assert dispute.case.organisation == casework["org_shabei"] and dispute.diagnosis == ""


def test_an_agency_case_for_a_petition_goes_to_whoever_holds_that_petition(casework):
    petition = petition_create(
        subject=casework["dongwan_village"], received_on=DAY, level="county", channel="visit", summary="征地"
    )
    agency = agency_create(
        subject=casework["dongwan_village"], applied_on=DAY, summary="代理", petition=petition
    )
    assert agency.case.organisation == petition.case.organisation == casework["org_petition"]


def test_a_petition_being_handled_reads_办理中_not_处理中():
    from django.utils import translation

    from sanling.petitions.models import PetitionStep

    with translation.override("zh-hans"):
        assert str(PetitionStep.HANDLING.label) == "办理中"


def test_a_petition_that_was_a_dispute_links_back_to_the_dispute_case(client, casework):
    from sanling.disputes.services import dispute_to_petition

    dispute = dispute_create(subject=casework["dongwan_village"], reported_on=DAY, summary="征地补偿")
    petition = dispute_to_petition(dispute=dispute, on=DAY, petition_level="town")
    client.force_login(casework["town_b"])
    page = client.get(reverse("petitions:detail", kwargs={"ref": petition.ref})).content.decode()
    assert reverse("disputes:case", kwargs={"ref": dispute.ref}) in page.split('id="from-dispute"')[1]
