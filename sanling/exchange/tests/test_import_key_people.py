"""key_people.csv in the bundle (issue 15 item 9): "encrypted at rest after import; the file itself is the
county's responsibility", with the bundle's guarantees — atomic with the other files, idempotent, a dry-run
report, scoped, masked values kept — and the same file as ``sanling key_people import|export``."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from sanling.accounts.models import Profile
from sanling.accounts.scope import scope_for
from sanling.audit.context import Actor, acting
from sanling.audit.models import AuditEntry
from sanling.conftest import write_csv
from sanling.exchange.exporter import bundle_export
from sanling.exchange.importer import bundle_import
from sanling.exchange.reader import BundleInvalid
from sanling.keypeople.models import KeyPerson
from sanling.keypeople.services import key_person_create
from sanling.regions.models import Region

pytestmark = pytest.mark.django_db

HEADER = ["ref", "region_code", "category", "risk_level", "name", "id_number", "phone", "address", "active"]
NAME = "欧阳建华"
ID_NUMBER = "110105198001011238"
PHONE = "13912345678"
ADDRESS = "金牛社区幸福路八号院"


def row(ref="KP-1", region="411103001001", id_number=ID_NUMBER, name=NAME, phone=PHONE, risk="高"):
    return [ref, region, "精神障碍患者", risk, name, id_number, phone, ADDRESS, "是"]


def folder(tmp_path, *rows, name="bundle", **files):
    path = tmp_path / name
    write_csv(path, "key_people.csv", [HEADER, *rows])
    for key, file_rows in files.items():
        write_csv(path, f"{key}.csv", file_rows)
    return path


def errors_of(path, **kwargs) -> list[str]:
    writes, people = AuditEntry.objects.count(), KeyPerson.objects.count()
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(path, **kwargs)
    assert (AuditEntry.objects.count(), KeyPerson.objects.count()) == (writes, people)  # nothing written
    return [str(error) for error in invalid.value.errors]


@pytest.fixture
def admins(personas):
    users = {}
    for name, region in (("admin_shabei", personas["shabei"]), ("admin_county", personas["county"])):
        user = get_user_model().objects.create_user(username=name, password="pw-secret-123")
        Profile.objects.create(user=user, role="county_admin", region=region)
        users[name] = user
    return {**personas, **users}


def test_a_key_person_is_imported_through_the_services_encrypted_at_rest(personas, tmp_path):
    result = bundle_import(folder(tmp_path, row()))
    assert result.files["key_people"].created == 1
    person = KeyPerson.objects.get(ref="KP-1")
    assert (person.name, person.id_number, person.risk_level) == (NAME, ID_NUMBER, "high")
    assert person.case.kind == "key_visit" and person.case.due_on is not None  # its visits are scheduled
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, id_number, phone FROM keypeople_keyperson WHERE ref = 'KP-1'")
        stored = " ".join(cursor.fetchone())
    assert NAME not in stored and ID_NUMBER not in stored and PHONE not in stored
    assert AuditEntry.objects.filter(object_type="keyperson", object_key="KP-1", action="create").exists()


def test_the_same_bundle_twice_changes_nothing(personas, tmp_path):
    path = folder(tmp_path, row())
    bundle_import(path)
    entries = AuditEntry.objects.count()
    again = bundle_import(path)
    assert (again.files["key_people"].created, again.files["key_people"].unchanged) == (0, 1)
    assert not again.changed and AuditEntry.objects.count() == entries


def test_a_changed_row_updates_the_person_in_place(personas, tmp_path):
    bundle_import(folder(tmp_path, row()))
    result = bundle_import(folder(tmp_path, row(risk="低"), name="second"))
    assert result.files["key_people"].updated == 1
    assert KeyPerson.objects.get(ref="KP-1").risk_level == "low"


def test_a_dry_run_reports_and_writes_nothing(personas, tmp_path):
    result = bundle_import(folder(tmp_path, row(), row(ref="KP-2", id_number="", name="张三")), dry_run=True)
    assert result.files["key_people"].created == 2
    assert not KeyPerson.objects.exists()


def test_a_bad_id_number_is_a_chinese_row_error_showing_it_masked_and_the_whole_bundle_is_refused(
    personas, tmp_path
):
    grid = ["code", "name", "level", "parent_code"], ["411103001001009", "新网格", "grid", "411103001001"]
    errors = errors_of(folder(tmp_path, row(id_number="110105198001011239"), regions=list(grid)))
    assert len(errors) == 1 and "key_people.csv 第 2 行 身份证号码（id_number）" in errors[0]
    assert "110105198001011239" not in errors[0] and "身份证" in errors[0]
    assert not Region.objects.filter(code="411103001001009").exists()  # atomic with the other files


def test_a_person_may_be_placed_in_a_grid_the_same_bundle_creates(personas, tmp_path):
    grid = ["code", "name", "level", "parent_code"], ["411103001001009", "新网格", "grid", "411103001001"]
    bundle_import(folder(tmp_path, row(region="411103001001009"), regions=list(grid)))
    assert KeyPerson.objects.get(ref="KP-1").region.code == "411103001001009"


def test_a_region_that_is_not_a_village_or_grid_is_refused(personas, tmp_path):
    errors = errors_of(folder(tmp_path, row(region="411103001000")))
    assert "区划代码（region_code）" in errors[0]


def test_an_id_number_registered_twice_is_refused(personas, tmp_path):
    errors = errors_of(folder(tmp_path, row(), row(ref="KP-2")))
    assert "第 3 行" in errors[0] and "第 2 行" in errors[0] and ID_NUMBER not in errors[0]


def test_an_unknown_category_is_a_row_error(personas, tmp_path):
    bad = row()
    bad[2] = "不存在的类别"
    assert "类别（category）" in errors_of(folder(tmp_path, bad))[0]


def test_a_town_administrator_touches_only_their_town(admins, tmp_path):
    errors = errors_of(folder(tmp_path, row(region="411103100201")), scope=scope_for(admins["admin_shabei"]))
    assert "不在您的管辖范围" in errors[0]
    assert "区划代码（region_code）" in errors[0]
    bundle_import(folder(tmp_path, row(), name="own"), scope=scope_for(admins["admin_shabei"]))
    assert KeyPerson.objects.get(ref="KP-1").region.code == "411103001001"


def masked_export(admins, tmp_path):
    with acting(Actor(user=admins["admin_shabei"], name="admin_shabei")):
        bundle_export(tmp_path / "out", scope=scope_for(admins["admin_shabei"]))
    return (tmp_path / "out" / "key_people.csv").read_text(encoding="utf-8-sig")


def test_a_masked_export_re_imported_keeps_the_stored_identity(admins, tmp_path):
    bundle_import(folder(tmp_path, row()))
    text = masked_export(admins, tmp_path)
    assert NAME not in text and ID_NUMBER not in text and PHONE not in text and "欧阳**" in text
    again = bundle_import(tmp_path / "out", scope=scope_for(admins["admin_shabei"]))
    assert again.files["key_people"].unchanged == 1 and not again.changed
    person = KeyPerson.objects.get(ref="KP-1")
    assert (person.name, person.id_number, person.phone, person.address) == (NAME, ID_NUMBER, PHONE, ADDRESS)


def test_a_mask_of_another_value_is_refused(personas, tmp_path):
    bundle_import(folder(tmp_path, row()))
    errors = errors_of(folder(tmp_path, row(ref="KP-2", name="王**", id_number=""), name="masked"))
    assert "姓名（name）" in errors[0] and "脱敏" in errors[0]


def test_the_bundle_export_is_masked_for_a_user_without_a_reason_and_audited_once_with_one(admins, tmp_path):
    bundle_import(folder(tmp_path, row()))
    assert NAME not in masked_export(admins, tmp_path)
    reads = AuditEntry.objects.filter(action="read_contact", object_type="keyperson")
    assert not reads.exists()
    with acting(Actor(user=admins["admin_shabei"], name="admin_shabei")):
        bundle_export(
            tmp_path / "clear", scope=scope_for(admins["admin_shabei"]), unmask_reason="报送上级核查"
        )
    text = (tmp_path / "clear" / "key_people.csv").read_text(encoding="utf-8-sig")
    assert NAME in text and ID_NUMBER in text
    assert reads.count() == 1 and "报送上级核查" in reads.get().note


def test_the_operators_bundle_round_trips_in_clear(personas, tmp_path):
    bundle_import(folder(tmp_path, row()))
    bundle_export(tmp_path / "out")
    assert ID_NUMBER in (tmp_path / "out" / "key_people.csv").read_text(encoding="utf-8-sig")
    assert not bundle_import(tmp_path / "out").changed


def test_the_key_people_command_and_the_bundle_read_each_others_file(personas, tmp_path):
    key_person_create(
        actor=None,
        ref="KP-9",
        region=personas["jinniu"],
        category="drug_user",
        name="李四",
        id_number="110105199002024561",
        registered_on=datetime.date(2025, 1, 6),
    )
    cli_file = tmp_path / "bundle" / "key_people.csv"
    cli_file.parent.mkdir()
    call_command("key_people", "export", str(cli_file), stdout=io.StringIO())
    assert not bundle_import(cli_file.parent).changed  # the command's file is a bundle file
    bundle_export(tmp_path / "out", chinese_headers=True)
    out = io.StringIO()
    call_command("key_people", "import", str(tmp_path / "out" / "key_people.csv"), stdout=out)
    assert "新增 0，更新 0，未变 1" in out.getvalue()


POST_HEADER = ["region_code", "post_type", "holder_name", "started_on"]


def with_post(cell: str, **kwargs) -> list[list[str]]:
    return [[*HEADER, "post"], [*row(**kwargs), cell]]


def post_folder(tmp_path, rows, name="posts", **files):
    path = tmp_path / name
    write_csv(path, "key_people.csv", rows)
    for key, file_rows in files.items():
        write_csv(path, f"{key}.csv", file_rows)
    return path


def test_a_row_may_name_the_responsible_post_held_today_in_the_village(personas, tmp_path):
    """ "it may name a responsible post": "<岗位> <姓名>", whose login then works the person's visits."""
    from sanling.grids.services import post_create

    post = post_create(
        region=personas["jinniu"],
        post_type="grid_member",
        holder_name="王五",
        started_on=datetime.date(2024, 1, 1),
        user=personas["grid_a"],
    )
    bundle_import(post_folder(tmp_path, with_post("网格员 王五")))
    person = KeyPerson.objects.get(ref="KP-1")
    assert person.post == post and person.handler == personas["grid_a"]
    bundle_export(tmp_path / "out")
    assert "网格员 王五" in (tmp_path / "out" / "key_people.csv").read_text(encoding="utf-8-sig")
    assert not bundle_import(tmp_path / "out").changed  # round-trips unchanged


def test_a_row_may_name_a_post_the_same_bundle_records(personas, tmp_path):
    posts = [POST_HEADER, ["411103001001", "网格员", "赵六", "2024-01-01"]]
    bundle_import(post_folder(tmp_path, with_post("网格员 赵六"), posts=posts))
    assert KeyPerson.objects.get(ref="KP-1").post.holder_name == "赵六"


def test_a_post_not_held_in_the_village_is_a_chinese_row_error(personas, tmp_path):
    errors = errors_of(post_folder(tmp_path, with_post("网格员 无此人")))
    assert "责任岗位（post）" in errors[0] and "无此人" in errors[0]
