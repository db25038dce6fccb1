"""The casework models in the Django admin: organisations, rule sets, petitions, 积案 and 信访代理 are written
through their services (so audited), work items and timelines are read-only, and personal fields show as
masks."""

import datetime

import pytest
from django.urls import reverse

from sanling.audit.models import AuditEntry
from sanling.organisations.models import Organisation
from sanling.petitions.models import AgencyCase, Backlog, Petition
from sanling.petitions.services import agency_create, backlog_flag, petition_create
from sanling.work.models import DeadlineRuleSet, WorkItem

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 10)
ID_NUMBER = "411123198601011236"  # 郾城县 (411123) as it was when the number was issued


@pytest.fixture
def petition(casework):
    return petition_create(
        subject=casework["dongwan_village"],
        received_on=DAY,
        level="town",
        channel="visit",
        summary="宅基地界址争议",
        petitioner_name="张伟强",
        petitioner_id_number=ID_NUMBER,
        petitioner_phone="13812345678",
    )


def test_an_organisation_added_in_the_admin_is_written_by_its_audited_service(admin_client, casework):
    response = admin_client.post(
        reverse("admin:organisations_organisation_add"),
        {
            "code": "SB-SFS",
            "name": "沙北街道司法所",
            "kind": "justice_office",
            "region": casework["shabei"].pk,
            "members": [casework["town_a"].pk],
            "active": "on",
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(code="SB-SFS")
    assert list(organisation.members.all()) == [casework["town_a"]]
    assert AuditEntry.objects.filter(
        object_type="organisation", object_key="SB-SFS", action="create"
    ).exists()


def test_a_department_office_without_its_department_is_refused_in_the_admin(admin_client, casework):
    response = admin_client.post(
        reverse("admin:organisations_organisation_add"),
        {"code": "X-DEPT", "name": "某部门", "kind": "department", "region": casework["county"].pk},
    )
    assert response.status_code == 200
    assert not Organisation.objects.filter(code="X-DEPT").exists()


def test_renaming_an_organisation_in_the_admin_goes_through_its_service(admin_client, casework):
    organisation = casework["org_dongwan"]
    admin_client.post(
        reverse("admin:organisations_organisation_change", args=[organisation.pk]),
        {
            "name": "东湾村调委会",
            "kind": "mediation_committee",
            "region": casework["dongwan"].pk,
            "active": "on",
            "loaded_version": organisation.version,
        },
    )
    organisation.refresh_from_db()
    assert (organisation.name, organisation.version) == ("东湾村调委会", 2)
    assert AuditEntry.objects.filter(object_type="organisation", action="update").exists()


def test_work_items_and_timelines_can_be_read_but_not_changed_in_the_admin(admin_client, casework):
    item = casework["dispute_a"].case
    assert admin_client.get(reverse("admin:work_workitem_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:work_workitem_change", args=[item.pk])).status_code == 200
    assert admin_client.get(reverse("admin:work_workitem_add")).status_code == 403
    admin_client.post(reverse("admin:work_workitem_change", args=[item.pk]), {"title": "改了"})
    assert WorkItem.objects.get(pk=item.pk).title == "金牛邻里纠纷"
    assert admin_client.get(reverse("admin:work_timelineentry_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:work_timelineentry_add")).status_code == 403


def test_a_deadline_rule_set_is_edited_in_the_admin_and_audited(admin_client, casework):
    rules = DeadlineRuleSet.objects.get(code="seed-7d-3m")
    data = {
        name: getattr(rules, name)
        for name in (
            "name",
            "mediation_amount",
            "mediation_unit",
            "accept_amount",
            "accept_unit",
            "result_amount",
            "result_unit",
            "result_from",
            "extension_amount",
            "extension_unit",
            "review_amount",
            "review_unit",
        )
    }
    data |= {"mediation_amount": 20, "counties": [casework["county"].pk]}
    response = admin_client.post(reverse("admin:work_deadlineruleset_change", args=[rules.pk]), data)
    assert response.status_code == 302
    rules.refresh_from_db()
    assert rules.mediation_amount == 20
    assert list(rules.counties.all()) == [casework["county"]]
    entry = AuditEntry.objects.get(object_type="deadlineruleset", action="update")
    assert entry.changes["after"]["counties"] == ["411103000000"]


def test_the_petition_admin_shows_the_petitioner_masked_in_the_list_and_the_form(admin_client, petition):
    listing = admin_client.get(reverse("admin:petitions_petition_changelist")).content.decode()
    form = admin_client.get(reverse("admin:petitions_petition_change", args=[petition.pk])).content.decode()
    for page in (listing, form):
        assert "张伟强" not in page and ID_NUMBER not in page and "13812345678" not in page
    assert "138****5678" in form


def test_a_petition_corrected_in_the_admin_keeps_the_masked_fields_it_was_not_given(admin_client, petition):
    form = (
        admin_client.get(reverse("admin:petitions_petition_change", args=[petition.pk]))
        .context["adminform"]
        .form
    )
    data = {name: form.initial.get(name, "") for name in form.fields}
    data |= {"summary": "宅基地界址争议（已核实）", "loaded_version": petition.version, "people_count": 1}
    data = {name: value for name, value in data.items() if value not in (None, False)}
    response = admin_client.post(reverse("admin:petitions_petition_change", args=[petition.pk]), data)
    assert response.status_code == 302
    petition = Petition.objects.get(pk=petition.pk)
    assert petition.summary == "宅基地界址争议（已核实）"
    assert (petition.petitioner_name, petition.petitioner_id_number) == ("张伟强", ID_NUMBER)


def test_a_backlog_checklist_item_is_ticked_in_the_admin(admin_client, petition, casework):
    backlog = backlog_flag(
        item=petition.case,
        on=DAY,
        responsible_organisation=casework["org_shangqiao"],
        responsible_person="王建军",
        leader="刘志强",
        deadline=datetime.date(2025, 6, 30),
    )
    checklist = {**backlog.checklist, "fix_leader": "2025-03-12"}
    response = admin_client.post(
        reverse("admin:petitions_backlog_change", args=[backlog.pk]),
        {"checklist": __import__("json").dumps(checklist), "loaded_version": backlog.version},
    )
    assert response.status_code == 302
    assert Backlog.objects.get(pk=backlog.pk).checklist["fix_leader"] == "2025-03-12"


def test_an_agency_case_advances_one_step_in_the_admin(admin_client, casework):
    agency = agency_create(
        subject=casework["dongwan_village"],
        applied_on=DAY,
        summary="跨区劳动报酬追索",
        applicant_name="李秀英",
    )
    url = reverse("admin:petitions_agencycase_change", args=[agency.pk])
    assert "李秀英" not in admin_client.get(url).content.decode()
    response = admin_client.post(
        url, {"advance_on": "2025-03-11", "agent_name": "赵敏", "loaded_version": agency.version}
    )
    assert response.status_code == 302
    agency = AgencyCase.objects.get(pk=agency.pk)
    assert (agency.step, agency.agent_name) == ("agent_assigned", "赵敏")
    assert agency.case.timeline.filter(action="agency_agent_assigned").exists()


def test_nothing_of_a_case_is_deleted_in_the_admin(admin_client, petition):
    assert admin_client.get(reverse("admin:petitions_petition_delete", args=[petition.pk])).status_code == 403
