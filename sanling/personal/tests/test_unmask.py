import io

from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from sanling.accounts.scope import scope_for
from sanling.audit.models import AuditEntry
from sanling.audit.services import canonical_json
from sanling.exchange.exporter import subject_rows
from sanling.personal.access import may_unmask

from .conftest import NAME, PHONE


def page(client, subject) -> str:
    return client.get(reverse("subjects:detail", kwargs={"pk": subject.pk})).content.decode()


def unmask(client, subject, reason: str):
    return client.post(reverse("subjects:unmask", kwargs={"pk": subject.pk}), {"reason": reason})


def reads():
    return AuditEntry.objects.filter(action="read_contact")


def test_the_subject_page_shows_the_contact_masked_to_a_viewer(contact, client, personas):
    client.force_login(personas["viewer"])
    content = page(client, contact)
    assert "欧阳**" in content and "138****5678" in content
    assert NAME not in content and PHONE not in content


def test_the_subject_page_shows_the_contact_masked_even_to_an_administrator(contact, client, personas):
    client.force_login(personas["admin_user"])
    assert PHONE not in page(client, contact)


def test_the_api_masks_the_contact_for_a_viewer(contact, api_as, personas):
    answer = api_as(personas["viewer"]).get("/api/v1/subjects/U1/").json()
    assert (answer["contact_name"], answer["contact_phone"]) == ("欧阳**", "138****5678")


def test_the_excel_export_masks_the_contact_for_a_viewer_even_with_a_reason(contact, client, personas):
    client.force_login(personas["viewer"])
    response = client.get("/subjects/export.xlsx", {"reason": "想看看"})
    cells = {cell for row in load_workbook(io.BytesIO(response.content)).active.values for cell in row}
    assert "138****5678" in cells and PHONE not in cells and NAME not in cells
    assert not reads().exists()


def test_the_bundle_export_masks_the_contact_for_a_scope_that_may_not_unmask(contact, personas):
    rows = {row[0]: row for row in subject_rows(scope_for(personas["viewer"]))}
    assert PHONE not in rows["U1"] and "138****5678" in rows["U1"]


def test_leaders_auditors_and_grid_workers_may_not_unmask(personas):
    allowed = {
        name: may_unmask(personas[name]) for name in ("viewer", "auditor", "grid_a", "town_a", "admin_user")
    }
    assert allowed == {"viewer": False, "auditor": False, "grid_a": False, "town_a": True, "admin_user": True}


def test_a_viewer_cannot_unmask_on_the_page(contact, client, personas):
    client.force_login(personas["viewer"])
    assert unmask(client, contact, "核实情况").status_code == 403
    assert not reads().exists()


def test_a_viewer_cannot_unmask_through_the_api(contact, api_as, personas):
    response = api_as(personas["viewer"]).post(
        "/api/v1/subjects/U1/unmask/", {"reason": "核实"}, format="json"
    )
    assert response.status_code == 403 and PHONE not in response.content.decode()


def test_unmasking_without_a_reason_is_refused_in_chinese(contact, client, personas):
    client.force_login(personas["town_a"])
    response = unmask(client, contact, " ")
    assert response.status_code == 400 and PHONE not in response.content.decode()
    assert not reads().exists()


def test_unmasking_on_the_page_shows_the_contact_and_audits_the_reason(contact, client, personas):
    client.force_login(personas["town_a"])
    content = unmask(client, contact, "回访事故整改情况").content.decode()
    assert NAME in content and PHONE in content
    entry = reads().get()
    assert (entry.actor_name, entry.object_key, entry.note) == ("town_a", "U1", "回访事故整改情况")
    assert set(entry.changes["after"]) == {"contact_name", "contact_phone"}


def test_unmasking_through_the_api_returns_the_contact_and_audits_the_reason(contact, api_as, personas):
    response = api_as(personas["admin_user"]).post(
        "/api/v1/subjects/U1/unmask/", {"reason": "联系负责人"}, format="json"
    )
    assert response.json() == {"code": "U1", "contact_name": NAME, "contact_phone": PHONE}
    assert "no-store" in response["Cache-Control"]
    assert reads().get().note == "联系负责人"


def test_the_api_refuses_an_unmask_without_a_reason(contact, api_as, personas):
    response = api_as(personas["admin_user"]).post("/api/v1/subjects/U1/unmask/", {}, format="json")
    assert response.status_code == 400 and not reads().exists()


def test_an_administrator_exports_the_contact_in_clear_only_with_a_reason(contact, client, personas):
    client.force_login(personas["admin_user"])
    masked = client.get("/subjects/export.xlsx")
    assert PHONE.encode() not in _cells(masked)
    clear = client.get("/subjects/export.xlsx", {"reason": "上报联络名册"})
    assert PHONE.encode() in _cells(clear)
    assert reads().get().note.endswith("上报联络名册")


def _cells(response) -> bytes:
    rows = load_workbook(io.BytesIO(response.content)).active.values
    return repr([cell for row in rows for cell in row]).encode()


def test_an_edit_form_shows_the_contact_masked_and_keeps_it_when_left_as_it_is(contact, client, personas):
    client.force_login(personas["town_a"])
    url = reverse("subjects:edit", kwargs={"pk": contact.pk})
    form = client.get(url).content.decode()
    assert PHONE not in form and "138****5678" in form
    client.post(
        url,
        {
            "name": contact.name,
            "kind": contact.kind,
            "category": contact.category,
            "uscc": "",
            "address": "新地址",
            "contact_name": "欧阳**",
            "contact_phone": "138****5678",
            "joined_on": contact.joined_on.isoformat(),
            "version": contact.version,
        },
    )
    contact.refresh_from_db()
    assert (contact.address, contact.contact_name, contact.contact_phone) == ("新地址", NAME, PHONE)


def test_the_admin_change_form_shows_the_contact_masked(contact, admin_client):
    form = admin_client.get(f"/admin/subjects/subject/{contact.pk}/change/").content.decode()
    assert "138****5678" in form and PHONE not in form and NAME not in form


def test_an_account_phone_is_stored_encrypted_shown_masked_and_kept_when_left_masked(client, duty_holders):
    from sanling.accounts.models import Profile

    personas = duty_holders
    Profile.objects.filter(user=personas["dept"]).update(phone=PHONE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM accounts_profile WHERE user_id = %s", [personas["dept"].pk])
        assert PHONE not in cursor.fetchone()[0]
    client.force_login(personas["sysadmin"])
    url = reverse("accounts:user_edit", args=[personas["dept"].pk])
    assert PHONE not in client.get(url).content.decode()
    client.post(url, {"username": "dept", "full_name": "教育局", "is_active": "on", "phone": "138****5678"})
    assert Profile.objects.get(user=personas["dept"]).phone == PHONE


def test_an_export_searched_by_phone_audits_the_phone_masked(contact, client, personas):
    client.force_login(personas["admin_user"])
    client.get("/subjects/export.xlsx", {"phone": PHONE})
    entry = AuditEntry.objects.get(action="export")
    assert PHONE not in canonical_json(entry.changes)
    assert "138****5678" in entry.changes["after"]["filters"]


def test_no_duty_role_may_unmask_even_when_configured_to(personas, settings):
    settings.SANLING_UNMASK_ROLES = [*settings.SANLING_UNMASK_ROLES, "auditor"]
    assert not may_unmask(personas["auditor"])


def test_a_bundle_exported_at_the_shell_as_an_administrator_masks_the_contact(contact, personas, tmp_path):
    call_command("export", str(tmp_path / "out"), "--as", "admin_user", stdout=io.StringIO())
    subjects = (tmp_path / "out" / "subjects.csv").read_text(encoding="utf-8-sig")
    assert PHONE not in subjects and "138****5678" in subjects
    assert not reads().exists()


def test_a_bundle_exported_as_an_administrator_with_a_reason_holds_the_contact_audited(
    contact, personas, tmp_path
):
    call_command(
        "export",
        str(tmp_path / "out"),
        "--as",
        "admin_user",
        "--reason",
        "上报联络名册",
        stdout=io.StringIO(),
    )
    assert PHONE in (tmp_path / "out" / "subjects.csv").read_text(encoding="utf-8-sig")
    # One unmasked read per file holding personal data: the subjects' contacts and the disputes' parties.
    assert sorted(reads().values_list("object_type", flat=True)) == ["dispute", "subject"]
    assert reads().get(object_type="subject").note.endswith("上报联络名册")
