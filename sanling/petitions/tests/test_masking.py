"""The petitioner is personal data: masked on every page and in every ledger, shown in clear only to a role
that may unmask, with a reason, and every such read is in the audit trail."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sanling.audit.models import AuditEntry

from .conftest import ID_NUMBER, NAME, PHONE

pytestmark = pytest.mark.django_db


def reads():
    return AuditEntry.objects.filter(action="read_contact", verb="personal.unmasked")


def unmask(client, petition, reason: str):
    return client.post(reverse("petitions:unmask", kwargs={"ref": petition.ref}), {"reason": reason})


def cells(response) -> set:
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return {cell for row in workbook["信访台账"].iter_rows(values_only=True) for cell in row}


def test_the_petitioner_is_masked_even_for_a_role_that_may_unmask(client, petitions):
    client.force_login(petitions["town_a"])
    content = client.get(
        reverse("petitions:detail", kwargs={"ref": petitions["petition_a"].ref})
    ).content.decode()
    assert "欧阳**" in content and PHONE not in content and ID_NUMBER not in content and NAME not in content
    assert 'action="/petitions/' in content and "unmask" in content  # the form that asks why


def test_unmasking_with_a_reason_shows_the_petitioner_and_audits_the_read(client, petitions):
    client.force_login(petitions["town_a"])
    petition = petitions["petition_a"]
    response = unmask(client, petition, "回访核实信访人身份")
    content = response.content.decode()
    assert response.status_code == 200
    assert NAME in content and ID_NUMBER in content and PHONE in content and 'id="unmasked-note"' in content
    entry = reads().get()
    assert entry.object_type == "petition" and entry.object_key == petition.ref
    assert entry.note == "回访核实信访人身份" and entry.actor == petitions["town_a"]
    assert NAME not in str(entry.changes) and PHONE not in str(entry.changes)  # the trail keeps masks only
    # the next plain visit is masked again
    again = client.get(reverse("petitions:detail", kwargs={"ref": petition.ref})).content.decode()
    assert NAME not in again


def test_unmasking_without_a_reason_shows_nothing_and_audits_nothing(client, petitions):
    client.force_login(petitions["town_a"])
    response = unmask(client, petitions["petition_a"], " ")
    assert response.status_code == 400 and NAME not in response.content.decode()
    assert not reads().exists()


def test_a_viewer_sees_no_unmask_form_and_is_refused(client, petitions):
    client.force_login(petitions["viewer"])
    petition = petitions["petition_a"]
    content = client.get(reverse("petitions:detail", kwargs={"ref": petition.ref})).content.decode()
    assert 'name="reason"' not in content
    response = unmask(client, petition, "想看看")
    assert response.status_code == 403 and NAME not in response.content.decode()
    assert not reads().exists()


def test_the_ledger_masks_the_petitioner_by_default(client, petitions):
    client.force_login(petitions["town_a"])
    found = cells(client.get(reverse("petitions:export")))
    assert "欧阳**" in found and "1101**********002X" in found and "138****5678" in found
    assert NAME not in found and ID_NUMBER not in found and PHONE not in found
    assert not reads().exists()
    export = AuditEntry.objects.filter(action="export").latest("seq")
    assert "petitioner_name_masked" in export.changes["after"]["personal_fields"]


def test_the_ledger_shows_the_petitioner_with_a_reason_and_audits_the_export(client, petitions):
    client.force_login(petitions["town_a"])
    found = cells(client.get(reverse("petitions:export"), {"reason": "报送上级核查"}))
    assert NAME in found and ID_NUMBER in found and PHONE in found
    read = reads().get()
    assert read.object_type == "petition" and "报送上级核查" in read.note
    export = AuditEntry.objects.filter(action="export").latest("seq")
    assert "petitioner_id_number" in export.changes["after"]["personal_fields"]
    assert "报送上级核查" not in export.changes["after"].get("filters", "")


def test_a_viewer_exports_masks_even_with_a_reason(client, petitions):
    client.force_login(petitions["viewer"])
    found = cells(client.get(reverse("petitions:export"), {"reason": "想看看"}))
    assert NAME not in found and "欧阳**" in found
    assert not reads().exists()


def test_the_agency_applicant_is_masked(client, petitions):
    client.force_login(petitions["town_a"])
    content = client.get(
        reverse("petitions:agency_detail", kwargs={"ref": petitions["agency_a"].ref})
    ).content.decode()
    assert "欧阳**" in content and NAME not in content


def test_the_agency_applicant_is_unmasked_with_a_reason_and_the_read_audited(client, petitions):
    client.force_login(petitions["town_a"])
    agency = petitions["agency_a"]
    response = client.post(
        reverse("petitions:agency_unmask", kwargs={"ref": agency.ref}), {"reason": "确认代理申请人"}
    )
    assert response.status_code == 200 and NAME in response.content.decode()
    entry = reads().get()
    assert (entry.object_type, entry.object_key, entry.note) == ("agencycase", agency.ref, "确认代理申请人")


def test_a_viewer_cannot_unmask_the_agency_applicant(client, petitions):
    client.force_login(petitions["viewer"])
    agency = petitions["agency_a"]
    unmask_url = reverse("petitions:agency_unmask", kwargs={"ref": agency.ref})
    page = client.get(reverse("petitions:agency_detail", kwargs={"ref": agency.ref})).content.decode()
    assert unmask_url not in page  # no form offered
    response = client.post(unmask_url, {"reason": "想看看"})
    assert response.status_code == 403 and not reads().exists()
