"""Cases in the bundle (issue 17): "Existing bundles stay valid: the new ``disputes.csv`` columns are optional
and an imported resolved dispute is a closed case"; ``petitions.csv`` brings a county's 信访台账 in, with the
same guarantees (atomic, idempotent, Chinese row errors, round trip)."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection

from sanling.accounts.scope import scope_for
from sanling.assessment.periods import Period
from sanling.assessment.selectors import subject_status
from sanling.audit.context import Actor, acting
from sanling.audit.models import AuditEntry
from sanling.conftest import write_csv
from sanling.disputes.models import Dispute
from sanling.events.models import Event
from sanling.exchange.exporter import bundle_export, dispute_rows, petition_rows
from sanling.exchange.importer import bundle_import
from sanling.exchange.reader import BundleInvalid, read_bundle
from sanling.organisations.models import Organisation
from sanling.petitions.models import Petition
from sanling.work.models import TimelineEntry, WorkItem

from .conftest import DISPUTE_ROWS

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 3)  # the day the personas' subjects joined
CASE_HEADER = [
    "ref",
    "subject_code",
    "reported_on",
    "category",
    "summary",
    "status",
    "resolved_level",
    "resolved_on",
    "method",
    "level",
    "diagnosis",
    "parties",
    "agreement",
    "follow_up_on",
    "satisfaction",
    "organisation_code",
]
PETITION_HEADER = [
    "ref",
    "subject_code",
    "received_on",
    "channel",
    "visit_mode",
    "summary",
    "level",
    "petitioner_name",
    "petitioner_id_number",
    "petitioner_phone",
    "repeat",
    "collective",
    "people_count",
    "bypass",
    "claim",
    "step",
    "accepted_on",
    "replied_on",
    "concluded_on",
    "satisfaction",
    "organisation_code",
]
ID_NUMBER = "11010519491231002X"  # the standard's own example, check character X
# A petition at the town, concluded with the petitioner satisfied, and one that reached the county (越级).
TOWN_PETITION = [
    "P-TOWN-1",
    "V1",
    "2025-03-05",
    "来访",
    "开门接访",
    "拖欠工资",
    "乡镇",
    "王小五",
    ID_NUMBER,
    "13800000001",
    "否",
    "否",
    "1",
    "否",
    "合理",
    "已终结",
    "2025-03-06",
    "2025-03-20",
    "2025-03-25",
    "满意",
    "SB-MTZX",
]
COUNTY_PETITION = [
    "P-COUNTY-1",
    "V2",
    "2025-03-10",
    "来信",
    "",
    "征地补偿",
    "县",
    "赵六",
    "",
    "",
    "是",
    "是",
    "12",
    "是",
    "",
    "办理中",
    "2025-03-12",
    "",
    "",
    "",
    "",
]


def folder(tmp_path, name="bundle", **files):
    path = tmp_path / name
    for key, rows in files.items():
        write_csv(path, f"{key}.csv", rows)
    return path


def errors_of(path, **kwargs):
    writes = AuditEntry.objects.count()
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(path, **kwargs)
    assert AuditEntry.objects.count() == writes  # nothing was written
    return [(error.file, error.row, error.column, error.message) for error in invalid.value.errors]


def counts():
    return (
        WorkItem.objects.count(),
        TimelineEntry.objects.count(),
        Event.objects.count(),
        AuditEntry.objects.count(),
    )


def exported(rows_of, scope=None) -> dict[str, list]:
    from sanling.accounts.scope import EVERYTHING

    return {row[0]: row for row in rows_of(scope or EVERYTHING)}


# Old bundles


def test_an_old_bundle_imports_as_before_and_a_resolved_dispute_is_a_closed_case(bundle):
    result = bundle_import(bundle())
    assert result.files["disputes"].created == 2 and "petitions" not in result.files
    resolved, mediating = Dispute.objects.get(ref="D1"), Dispute.objects.get(ref="D2")
    assert resolved.level == "village" and mediating.level == "group"  # 化解层级, else 组
    assert resolved.case.ref == "D1" and resolved.case.kind == "dispute"
    assert resolved.case.step == "resolved" and resolved.case.closed_on == datetime.date(2021, 3, 9)
    assert mediating.case.closed_on is None and mediating.case.step == "mediating"
    assert mediating.case.due_on == datetime.date(2021, 3, 5) + datetime.timedelta(days=30)
    assert [entry.action for entry in TimelineEntry.objects.order_by("item__ref")] == ["register", "register"]
    call_command("recompute", "--check")  # exits non-zero if a rollup is wrong


def test_reimporting_a_bundle_adds_no_case_and_no_timeline_entry(bundle):
    bundle_import(bundle())
    before = counts()
    result = bundle_import(bundle())
    assert not result.changed and result.files["disputes"].unchanged == 2
    assert counts() == before


def test_a_changed_status_updates_the_case_in_place(bundle):
    bundle_import(bundle())
    rows = [
        *DISPUTE_ROWS[:2],
        ["D2", "V0001", "2021-03-05", "婚姻家庭", "离婚财产分割", "已化解", "乡镇", "2021-03-20", "人民调解"],
    ]
    result = bundle_import(bundle(disputes=rows, folder="changed"))
    assert result.files["disputes"].updated == 1 and result.files["disputes"].unchanged == 1
    dispute = Dispute.objects.get(ref="D2")
    assert dispute.level == "town" and dispute.version == 2
    case = dispute.case
    assert (case.step, case.closed_on, case.due_on, case.version) == (
        "resolved",
        datetime.date(2021, 3, 20),
        None,
        2,
    )
    entry = case.timeline.order_by("pk").last()
    assert (entry.action, entry.from_step, entry.to_step, entry.on) == (
        "edit",
        "mediating",
        "resolved",
        datetime.date(2021, 3, 20),
    )
    assert WorkItem.objects.count() == 2
    call_command("recompute", "--check")


def test_the_new_statuses_are_closed_cases(bundle):
    rows = [
        DISPUTE_ROWS[0],
        ["D3", "V0001", "2021-04-01", "", "土地纠纷", "已转信访", "", "", ""],
        ["D4", "V0001", "2021-04-02", "", "欠款纠纷", "litigated", "", "", ""],
    ]
    bundle_import(bundle(disputes=rows))
    assert {case.ref: (case.step, case.closed_on) for case in WorkItem.objects.all()} == {
        "D3": ("petitioned", datetime.date(2021, 4, 1)),
        "D4": ("litigated", datetime.date(2021, 4, 2)),
    }


# The case columns of disputes.csv


def case_row(**changes):
    row = dict(
        zip(
            CASE_HEADER,
            [
                "D-CASE-1",
                "V1",
                "2025-03-04",
                "邻里纠纷",
                "宅基地边界",
                "已化解",
                "村",
                "2025-03-10",
                "人民调解",
                "乡镇",
                "会诊",
                "张三、李四",
                "以现有界桩为界",
                "2025-04-10",
                "满意",
                "SB-MTZX",
            ],
            strict=True,
        )
    )
    row.update(changes)
    return list(row.values())


def test_the_case_columns_are_stored_with_the_parties_encrypted(casework, tmp_path):
    bundle_import(folder(tmp_path, disputes=[CASE_HEADER, case_row()]))
    dispute = Dispute.objects.get(ref="D-CASE-1")
    assert (dispute.level, dispute.diagnosis, dispute.agreement, dispute.satisfaction) == (
        "town",
        "consultation",
        "以现有界桩为界",
        "satisfied",
    )
    assert dispute.parties == "张三、李四" and dispute.follow_up_on == datetime.date(2025, 4, 10)
    assert dispute.case.organisation == casework["org_shabei"] and dispute.case.closed_on == datetime.date(
        2025, 3, 10
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT parties FROM disputes_dispute WHERE ref = %s", ["D-CASE-1"])
        (stored,) = cursor.fetchone()
    assert "张三" not in stored  # encrypted at rest


def test_the_case_columns_round_trip(casework, tmp_path):
    bundle_import(folder(tmp_path, disputes=[CASE_HEADER, case_row()]))
    bundle_export(tmp_path / "out")
    row = exported(dispute_rows)["D-CASE-1"]
    assert row[9:] == [
        "town",
        "consultation",
        "张三、李四",
        "以现有界桩为界",
        "2025-04-10",
        "satisfied",
        "SB-MTZX",
        "",  # grid_code (issue 15): none given
    ]
    before = counts()
    assert not bundle_import(tmp_path / "out").changed
    assert counts()[:3] == before[:3]


def test_a_dispute_without_an_organisation_goes_to_the_mediator_of_its_level(casework, tmp_path):
    bundle_import(
        folder(
            tmp_path,
            disputes=[
                CASE_HEADER,
                case_row(
                    status="调解中",
                    resolved_level="",
                    resolved_on="",
                    follow_up_on="",
                    satisfaction="",
                    organisation_code="",
                ),
            ],
        )
    )
    assert Dispute.objects.get(ref="D-CASE-1").case.organisation == casework["org_shabei"]  # 沙北 矛调中心


def test_a_bad_case_cell_is_a_chinese_row_error(casework, tmp_path):
    rows = [
        CASE_HEADER,
        case_row(organisation_code="NO-SUCH"),
        case_row(ref="D-CASE-2", level="村", resolved_level="乡镇"),
        case_row(ref="D-CASE-3", status="调解中", resolved_level="", resolved_on=""),
    ]
    assert errors_of(folder(tmp_path, disputes=rows)) == [
        ("disputes.csv", 2, "承办机构代码（organisation_code）", "未知的机构代码“NO-SUCH”。"),
        ("disputes.csv", 3, "化解层级（resolved_level）", "纠纷不能在高于其已到达层级的层级化解。"),
        ("disputes.csv", 4, "回访日期（follow_up_on）", "只有已化解的纠纷才能回访。"),
    ]


# petitions.csv


def import_petitions(tmp_path, *rows, name="bundle", **kwargs):
    return bundle_import(folder(tmp_path, name=name, petitions=[PETITION_HEADER, *rows]), **kwargs)


def test_a_petition_gets_its_case_at_its_step(casework, tmp_path):
    result = import_petitions(tmp_path, TOWN_PETITION)
    assert result.files["petitions"].created == 1
    petition = Petition.objects.get(ref="P-TOWN-1")
    assert (petition.channel, petition.visit_mode, petition.claim, petition.step) == (
        "visit",
        "open_door",
        "reasonable",
        "concluded",
    )
    assert petition.petitioner_id_number == ID_NUMBER and petition.event is None  # a town matter
    case = petition.case
    assert (case.ref, case.kind, case.step, case.closed_on) == (
        "P-TOWN-1",
        "petition",
        "concluded",
        datetime.date(2025, 3, 25),
    )
    assert case.organisation == casework["org_shabei"]
    assert petition.accept_due_on == datetime.date(2025, 3, 20)  # 《信访工作条例》: 15 days
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT petitioner_name, petitioner_id_number, petitioner_phone FROM petitions_petition"
        )
        stored = " ".join(cursor.fetchone())
    assert "王小五" not in stored and ID_NUMBER not in stored and "13800000001" not in stored


def test_a_petition_at_the_county_records_its_event_and_the_rate_moves(casework, tmp_path):
    village = casework["dongwan_village"]
    march = Period.parse("2025-03")
    assert subject_status(subject=village, period=march).compliant
    import_petitions(tmp_path, COUNTY_PETITION)
    petition = Petition.objects.get(ref="P-COUNTY-1")
    event = petition.event
    assert (event.ref, event.type, event.petition_level, event.occurred_on, event.collective) == (
        "P-COUNTY-1",
        "petition",
        "county",
        datetime.date(2025, 3, 10),
        True,
    )
    assert petition.case.organisation == casework["org_petition"]  # the county's 信访局
    assert petition.case.due_on == datetime.date(2025, 3, 12) + datetime.timedelta(days=60)
    assert not subject_status(subject=village, period=march).compliant
    call_command("recompute", "--check")


def test_a_petition_at_the_county_links_the_event_of_its_ref_in_the_same_bundle(casework, tmp_path):
    events = [
        ["ref", "type", "subject_code", "occurred_on", "title", "petition_level"],
        ["P-COUNTY-1", "信访", "V2", "2025-03-11", "征地补偿信访", "county"],
    ]
    bundle_import(folder(tmp_path, events=events, petitions=[PETITION_HEADER, COUNTY_PETITION]))
    petition = Petition.objects.get(ref="P-COUNTY-1")
    assert petition.event == Event.objects.get(ref="P-COUNTY-1")
    assert petition.event.occurred_on == datetime.date(2025, 3, 11)  # the file's event, not a second one
    call_command("recompute", "--check")


def test_reimporting_petitions_changes_nothing(casework, tmp_path):
    import_petitions(tmp_path, TOWN_PETITION, COUNTY_PETITION)
    before = counts()
    result = import_petitions(tmp_path, TOWN_PETITION, COUNTY_PETITION, name="again")
    assert not result.changed and result.files["petitions"].unchanged == 2
    assert counts() == before


def test_a_changed_petition_row_updates_its_case_in_place(casework, tmp_path):
    import_petitions(tmp_path, COUNTY_PETITION)
    replied = list(COUNTY_PETITION)
    replied[15], replied[17] = "已答复", "2025-03-30"
    result = import_petitions(tmp_path, replied, name="replied")
    assert result.files["petitions"].updated == 1
    petition = Petition.objects.get(ref="P-COUNTY-1")
    assert petition.step == "replied" and petition.version == 2
    assert petition.case.step == "replied" and petition.case.due_on == datetime.date(2025, 4, 29)
    assert Event.objects.filter(ref="P-COUNTY-1").count() == 1
    assert WorkItem.objects.filter(ref="P-COUNTY-1").count() == 1


def test_a_dispute_turned_into_a_petition_carries_its_case_on(casework, tmp_path):
    disputes = [CASE_HEADER[:9], ["P-COUNTY-1", "V2", "2025-03-04", "", "征地补偿", "已转信访", "", "", ""]]
    bundle_import(folder(tmp_path, disputes=disputes, petitions=[PETITION_HEADER, COUNTY_PETITION]))
    petition = Petition.objects.get(ref="P-COUNTY-1")
    assert petition.from_dispute == Dispute.objects.get(ref="P-COUNTY-1")
    assert petition.case == petition.from_dispute.case  # one case, one code
    assert (petition.case.kind, petition.case.step, petition.case.closed_on) == ("petition", "handling", None)
    assert [entry.action for entry in petition.case.timeline.order_by("pk")] == ["register", "receive"]
    before = counts()
    again = bundle_import(
        folder(tmp_path, name="again", disputes=disputes, petitions=[PETITION_HEADER, COUNTY_PETITION])
    )
    assert not again.changed and counts() == before


def test_a_wrong_check_digit_is_a_chinese_row_error(casework, tmp_path):
    row = list(TOWN_PETITION)
    row[8] = "110105194912310021"
    assert errors_of(folder(tmp_path, petitions=[PETITION_HEADER, row])) == [
        (
            "petitions.csv",
            2,
            "身份证号（petitioner_id_number）",
            "“1101**********0021”不是有效的居民身份证号码（校验位或出生日期不正确）。",
        )
    ]
    assert not Petition.objects.exists() and not WorkItem.objects.filter(ref="P-TOWN-1").exists()


def test_bad_petition_rows_are_reported_together_and_nothing_is_written(casework, tmp_path):
    concluded_without_date = list(TOWN_PETITION)
    concluded_without_date[18] = ""
    few_people = list(COUNTY_PETITION)
    few_people[12] = "3"
    taken = list(TOWN_PETITION)
    taken[0] = casework["dispute_a"].ref  # a dispute still being worked
    before = counts()
    errors = errors_of(
        folder(tmp_path, petitions=[PETITION_HEADER, concluded_without_date, few_people, taken])
    )
    assert [error[:3] for error in errors] == [
        ("petitions.csv", 2, "终结日期（concluded_on）"),
        ("petitions.csv", 3, "人数（people_count）"),
        ("petitions.csv", 4, "编号（ref）"),
    ]
    assert (
        errors[2][3]
        == f"纠纷“{casework['dispute_a'].ref}”使用同一编号，但它没有转信访（状态应为 已转信访）。"
    )
    assert counts() == before


def test_a_dry_run_reports_petitions_and_writes_nothing(casework, tmp_path):
    before = counts()
    result = import_petitions(tmp_path, TOWN_PETITION, COUNTY_PETITION, dry_run=True)
    assert result.files["petitions"].created == 2
    assert counts() == before and not Petition.objects.exists()


def test_petitions_round_trip_for_a_user_who_may_unmask(casework, tmp_path):
    import_petitions(tmp_path, TOWN_PETITION, COUNTY_PETITION)
    admin = casework["admin_user"]
    with acting(Actor(user=admin, name=admin.username)):
        bundle_export(tmp_path / "out", scope=scope_for(admin), unmask_reason="县信访台账移交")
    rows = {row["ref"]: row for _number, row in read_bundle(tmp_path / "out")["petitions"].rows}
    assert rows["P-TOWN-1"]["petitioner_id_number"] == ID_NUMBER
    assert AuditEntry.objects.filter(verb="personal.unmasked", object_type="petition").exists()
    before = counts()
    assert not bundle_import(tmp_path / "out", scope=scope_for(admin)).changed
    assert counts()[:3] == before[:3]


def test_a_masked_export_holds_masks_and_round_trips_unchanged(casework, tmp_path):
    import_petitions(tmp_path, TOWN_PETITION)
    admin = casework["admin_user"]
    bundle_export(tmp_path / "out", scope=scope_for(admin))
    row = exported(petition_rows, scope_for(admin))["P-TOWN-1"]
    assert row[7:10] == ["王**", "1101**********002X", "138****0001"]
    assert not bundle_import(tmp_path / "out", scope=scope_for(admin)).changed


def test_a_masked_cell_for_a_new_petition_is_refused(casework, tmp_path):
    row = list(TOWN_PETITION)
    row[7] = "王**"
    (error,) = errors_of(folder(tmp_path, petitions=[PETITION_HEADER, row]))
    assert error[2:] == (
        "信访人（petitioner_name）",
        "“王**”是脱敏后的值：请填写完整信息，或保留导出时的脱敏值以沿用已存信息。",
    )


def test_organisations_file_lets_case_rows_name_their_organisation(casework, tmp_path):
    organisations = [
        ["code", "name", "kind", "region_code", "department_code"],
        ["JN-ZZZX", "金牛社区综治中心", "综治中心", "411103001001", ""],
    ]
    result = bundle_import(
        folder(
            tmp_path,
            organisations=organisations,
            disputes=[CASE_HEADER, case_row(organisation_code="JN-ZZZX")],
        )
    )
    assert result.files["organisations"].created == 1
    assert Dispute.objects.get(ref="D-CASE-1").case.organisation == Organisation.objects.get(code="JN-ZZZX")
    assert not bundle_import(folder(tmp_path, name="again", organisations=organisations)).changed


def test_cases_worked_on_screen_export_and_reimport_unchanged(casework, tmp_path):
    from sanling.disputes.services import (
        dispute_create,
        dispute_escalate,
        dispute_fail,
        dispute_follow_up,
        dispute_resolve,
        dispute_to_petition,
    )
    from sanling.petitions.services import (
        petition_accept,
        petition_create,
        petition_extend,
        petition_reply,
        petition_review,
    )

    day = datetime.timedelta(days=1)
    village, town = casework["dongwan_village"], casework["jinniu_village"]
    resolved = dispute_create(subject=village, reported_on=DAY, summary="宅基地", parties="张三、李四")
    resolved = dispute_escalate(dispute=resolved, on=DAY + day, to_level="village")
    resolved = dispute_resolve(dispute=resolved, on=DAY + 3 * day, method="people", agreement="以界桩为界")
    dispute_follow_up(dispute=resolved, on=DAY + 9 * day, satisfaction="satisfied")
    failed = dispute_create(subject=town, reported_on=DAY, summary="欠款")
    dispute_fail(dispute=failed, on=DAY + 5 * day)
    turned = dispute_create(subject=village, reported_on=DAY, summary="征地补偿")
    dispute_to_petition(dispute=turned, on=DAY + 2 * day, petition_level="county")
    petition = petition_create(
        subject=town,
        received_on=DAY,
        level="town",
        channel="letter",
        summary="道路",
        petitioner_name="王小五",
        petitioner_id_number=ID_NUMBER,
    )
    petition = petition_accept(petition=petition, on=DAY + day)
    petition = petition_extend(petition=petition, on=DAY + 2 * day, note="需会商")
    petition = petition_reply(petition=petition, on=DAY + 4 * day)
    petition_review(petition=petition, on=DAY + 6 * day)
    bundle_export(tmp_path / "out")
    before = counts()
    result = bundle_import(tmp_path / "out")
    assert not result.changed, {key: vars(value) for key, value in result.files.items()}
    assert counts() == before
    call_command("recompute", "--check")


def case_snapshot():
    return {
        "disputes": list(
            Dispute.objects.order_by("ref").values_list(
                "ref", "status", "level", "parties", "agreement", "follow_up_on", "case__ref"
            )
        ),
        "petitions": list(
            Petition.objects.order_by("ref").values_list(
                "ref",
                "level",
                "step",
                "petitioner_id_number",
                "accepted_on",
                "event__ref",
                "from_dispute__ref",
            )
        ),
        "cases": list(
            WorkItem.objects.order_by("ref").values_list(
                "ref", "kind", "step", "organisation__code", "closed_on"
            )
        ),
    }


def test_an_export_restores_the_cases_into_an_emptied_system(casework, tmp_path):
    from sanling.disputes.services import dispute_create, dispute_resolve, dispute_to_petition

    # The personas' disputes were registered before any organisation existed, so their cases have none:
    # brought back into an emptied system they would go to the place's mediator.
    Dispute.objects.all().delete()
    WorkItem.objects.all().delete()
    village = casework["dongwan_village"]
    resolved = dispute_create(subject=village, reported_on=DAY, summary="宅基地", parties="张三、李四")
    dispute_resolve(dispute=resolved, on=DAY, method="people", agreement="以界桩为界")
    turned = dispute_create(subject=village, reported_on=DAY, summary="征地补偿")
    dispute_to_petition(dispute=turned, on=DAY, petition_level="county", petitioner_id_number=ID_NUMBER)
    import_petitions(tmp_path, TOWN_PETITION, COUNTY_PETITION)
    before = case_snapshot()
    bundle_export(tmp_path / "out")
    Petition.objects.all().delete()
    Event.objects.filter(type="petition").delete()
    Dispute.objects.all().delete()
    WorkItem.objects.all().delete()
    result = bundle_import(tmp_path / "out")
    assert result.files["petitions"].created == 3
    assert case_snapshot() == before
    call_command("recompute", "--check")


def test_bad_organisation_rows_are_chinese_row_errors(casework, tmp_path):
    rows = [
        ["code", "name", "kind", "region_code", "department_code"],
        ["X-1", "无名中心", "综治中心", "419999999999", ""],
        ["X-2", "某局办公室", "行业主管部门", "411103000000", ""],
    ]
    assert errors_of(folder(tmp_path, organisations=rows)) == [
        (
            "organisations.csv",
            2,
            "属地代码（region_code）",
            "未知的属地代码“419999999999”：数据包和系统中都没有这个区划。",
        ),
        ("organisations.csv", 3, "主管部门代码（department_code）", "行业主管部门须指明所属部门。"),
    ]


def test_a_dispute_cannot_take_the_ref_of_another_case(casework, tmp_path):
    import_petitions(tmp_path, TOWN_PETITION)
    rows = [CASE_HEADER[:9], ["P-TOWN-1", "V1", "2025-03-04", "", "邻里纠纷", "", "", "", ""]]
    assert errors_of(folder(tmp_path, name="dispute", disputes=rows)) == [
        ("disputes.csv", 2, "编号（ref）", "编号“P-TOWN-1”已是另一个案件的编号。")
    ]


def test_a_petition_raised_to_the_county_records_its_event_and_one_raised_higher_moves_it(casework, tmp_path):
    at_town = list(COUNTY_PETITION)
    at_town[6] = "乡镇"
    import_petitions(tmp_path, at_town)
    assert Petition.objects.get(ref="P-COUNTY-1").event is None
    import_petitions(tmp_path, COUNTY_PETITION, name="county")
    assert Petition.objects.get(ref="P-COUNTY-1").event.petition_level == "county"
    at_city = list(COUNTY_PETITION)
    at_city[6] = "市"
    import_petitions(tmp_path, at_city, name="city")
    event = Petition.objects.get(ref="P-COUNTY-1").event
    assert event.petition_level == "city" and Event.objects.filter(ref="P-COUNTY-1").count() == 1
    call_command("recompute", "--check")


def test_a_changed_petition_carried_on_from_a_dispute_keeps_the_cases_opening(casework, tmp_path):
    from sanling.disputes.services import dispute_create, dispute_to_petition

    dispute = dispute_create(subject=casework["dongwan_village"], reported_on=DAY, summary="征地补偿")
    dispute_to_petition(
        dispute=dispute, on=DAY + datetime.timedelta(days=2), petition_level="town", summary="要求补偿"
    )
    bundle_export(tmp_path / "out")
    (row,) = [row for row in exported(petition_rows).values() if row[0] == dispute.ref]
    row[5] = "要求补偿到位"
    bundle_import(folder(tmp_path, petitions=[[*PETITION_HEADER], row]))
    case = WorkItem.objects.get(ref=dispute.ref)
    assert (case.opened_on, case.title, case.step) == (DAY, "征地补偿", "received")
    assert Petition.objects.get(ref=dispute.ref).summary == "要求补偿到位"
