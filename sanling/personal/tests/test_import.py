import pytest
from django.db import connection

from sanling.accounts.models import Role
from sanling.accounts.scope import Scope
from sanling.audit.models import AuditEntry
from sanling.exchange.exporter import bundle_export
from sanling.exchange.importer import bundle_import
from sanling.exchange.reader import BundleInvalid
from sanling.exchange.tests.conftest import SUBJECT_ROWS
from sanling.exchange.tests.test_import_errors import replace_row
from sanling.personal.fields import blind_q
from sanling.regions.models import Region
from sanling.subjects.models import Subject

pytestmark = pytest.mark.django_db


def stored_contacts() -> dict[str, tuple[str, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, contact_name, contact_phone, contact_phone_index FROM subjects_subject")
        return {code: rest for code, *rest in cursor.fetchall()}


def test_imported_contacts_are_stored_encrypted(bundle):
    bundle_import(bundle())
    name, phone, _index = stored_contacts()["V0001"]
    assert "张三" not in name and "13800000001" not in phone


def test_an_imported_phone_is_found_through_its_blind_index(bundle):
    bundle_import(bundle())
    assert list(
        Subject.objects.filter(blind_q(Subject, "contact_phone", "0395-3312345")).values_list(
            "code", flat=True
        )
    ) == ["U0001"]


def test_reimporting_the_same_bundle_with_encrypted_contacts_changes_nothing(bundle):
    path = bundle()
    bundle_import(path)
    before, entries = stored_contacts(), AuditEntry.objects.count()
    result = bundle_import(path)
    assert not result.changed and result.files["subjects"].unchanged == 3
    assert stored_contacts() == before  # not even re-encrypted
    assert AuditEntry.objects.count() == entries


def test_a_phone_changed_by_an_import_is_found_under_its_new_number(bundle):
    bundle_import(bundle())
    bundle_import(bundle(subjects=replace_row(SUBJECT_ROWS, 2, contact_phone="13911112222"), folder="b"))
    found = Subject.objects.filter(blind_q(Subject, "contact_phone", "13911112222"))
    assert list(found.values_list("code", "contact_phone")) == [("U0001", "13911112222")]


def test_a_masked_export_imported_back_changes_nothing(bundle, tmp_path):
    bundle_import(bundle())
    leader = Scope(role=Role.VIEWER, region=Region.objects.get(code="410000000000"), department=None)
    bundle_export(tmp_path / "masked", scope=leader)
    assert "138****0001" in (tmp_path / "masked" / "subjects.csv").read_text(encoding="utf-8-sig")
    result = bundle_import(tmp_path / "masked")
    assert not result.changed
    assert Subject.objects.get(code="V0001").contact_phone == "13800000001"


def test_a_masked_phone_for_a_new_subject_is_refused(bundle):
    with pytest.raises(BundleInvalid) as refused:
        bundle_import(bundle(subjects=replace_row(SUBJECT_ROWS, 1, contact_phone="138****0001")))
    assert refused.value.errors[0].column.startswith("联系电话")


def test_an_import_writes_no_personal_value_in_clear_to_the_audit_trail(bundle):
    bundle_import(bundle())
    changed = replace_row(SUBJECT_ROWS, 1, contact_name="王五", contact_phone="13900000009")
    bundle_import(bundle(subjects=changed, folder="b"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT changes FROM audit_auditentry")
        trail = " ".join(str(row[0]) for row in cursor.fetchall())
    assert "138****0001" in trail and "139****0009" in trail
    for clear in ("张三", "13800000001", "王五", "13900000009", "李四"):
        assert clear not in trail
