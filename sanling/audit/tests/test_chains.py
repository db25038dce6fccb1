"""One chain per county and a global chain: writes in one county never wait for another county's, and
every chain verifies on its own."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from sanling.audit.models import AuditEntry, AuditHead
from sanling.audit.selectors import audit_verify, audit_verify_chains
from sanling.audit.services import chain_of
from sanling.events.services import event_create
from sanling.regions.models import Level
from sanling.regions.services import region_create
from sanling.subjects.services import subject_create

from .tampering import owner_cursor

pytestmark = pytest.mark.django_db

YANCHENG = "411103000000"  # the personas' county
YUANHUI = "411102000000"
DAY = datetime.date(2025, 3, 3)


@pytest.fixture
def second_county(personas):
    """源汇区, a county beside the personas' 郾城区 in the same city, with one village subject."""
    county = region_create(code=YUANHUI, name="源汇区", level=Level.COUNTY, parent=personas["city"])
    town = region_create(code="411102001000", name="顺河街道", level=Level.TOWN, parent=county)
    village = region_create(code="411102001001", name="顺河社区", level=Level.VILLAGE, parent=town)
    subject = subject_create(code="V9", name="顺河社区", kind="community", region=village, joined_on=DAY)
    return {"county": county, "town": town, "village": village, "subject": subject}


def test_the_chain_of_an_object_is_its_county_or_global():
    assert chain_of("/410000000000/411100000000/411103000000/411103001000/411103001001/") == YANCHENG
    assert chain_of("/411103000000/411103001000/") == YANCHENG  # a county as the root of the tree
    assert chain_of("/410000000000/411100000000/") == "global"  # above any county
    assert chain_of("") == "global"  # users, departments, policies


def test_entries_of_a_county_go_to_its_chain_and_the_rest_to_the_global_chain(personas):
    event = AuditEntry.objects.get(object_key=personas["event_a"].ref)
    city = AuditEntry.objects.get(object_type="region", object_key=personas["city"].code)
    assert (event.chain, city.chain) == (YANCHENG, "global")


def test_each_chain_counts_its_own_entries_from_one(personas, second_county):
    for chain in (YANCHENG, YUANHUI, "global"):
        seqs = list(AuditEntry.objects.filter(chain=chain).order_by("seq").values_list("seq", flat=True))
        assert seqs == list(range(1, len(seqs) + 1))
        assert AuditHead.objects.get(chain=chain).seq == len(seqs)


def test_verify_reports_every_chain_on_its_own(personas, second_county, capsys):
    reports = audit_verify_chains()
    assert [report.chain for report in reports] == [YUANHUI, YANCHENG, "global"]
    assert all(report.checked and not report.problems for report in reports)
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert f"{YUANHUI} 链" in out and f"{YANCHENG} 链" in out and "全局链" in out


def test_tampering_in_one_county_is_reported_in_that_chain_only(personas, second_county):
    entry = AuditEntry.objects.filter(chain=YUANHUI).first()
    with owner_cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET note = 'x' WHERE id = %s", [entry.pk])
    failing = {report.chain for report in audit_verify_chains() if report.problems}
    assert failing == {YUANHUI}


def test_moving_an_entry_to_another_chain_is_reported(personas, second_county):
    entry = AuditEntry.objects.filter(chain=YUANHUI).order_by("seq").last()
    with owner_cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET chain = %s, seq = %s WHERE id = %s",
            [YANCHENG, AuditHead.objects.get(chain=YANCHENG).seq + 1, entry.pk],
        )
    failing = {report.chain for report in audit_verify_chains() if report.problems}
    assert failing == {YUANHUI, YANCHENG}


def test_removing_a_whole_county_chain_and_its_head_is_reported(personas, second_county):
    with owner_cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE chain = %s", [YUANHUI])
        cursor.execute("DELETE FROM audit_audithead WHERE chain = %s", [YUANHUI])
    _checked, problems = audit_verify()
    assert [problem.chain for problem in problems] == [YUANHUI]


def test_removing_a_chains_head_is_reported(personas):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_audithead WHERE chain = %s", [YANCHENG])
    _checked, problems = audit_verify()
    assert [problem.chain for problem in problems] == [YANCHENG]


def test_an_import_touching_two_counties_appends_to_both_chains(personas, second_county, tmp_path):
    from sanling.conftest import write_csv
    from sanling.exchange.importer import bundle_import

    write_csv(
        tmp_path,
        "events.csv",
        [
            ["ref", "subject_code", "type", "occurred_on", "title"],
            ["IMP-A", "V1", "criminal_case", "2025-04-01", "郾城导入"],
            ["IMP-B", "V9", "criminal_case", "2025-04-01", "源汇导入"],
        ],
    )
    bundle_import(tmp_path)
    chains = dict(AuditEntry.objects.filter(object_key__startswith="IMP-").values_list("object_key", "chain"))
    assert chains == {"IMP-A": YANCHENG, "IMP-B": YUANHUI}
    assert audit_verify()[1] == []


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_a_write_in_one_county_completes_while_another_countys_chain_is_held(personas, second_county):
    """A transaction that appended to 郾城区's chain and has not committed (a long import, say) does not
    hold up a report in 源汇区."""
    holding, done = threading.Event(), threading.Event()
    failures = []

    def hold_yancheng():
        try:
            with transaction.atomic():
                region_create(
                    code="411103001002", name="金牛二社区", level=Level.VILLAGE, parent=personas["shabei"]
                )
                holding.set()
                done.wait(timeout=20)
        except Exception as error:  # surfaces in the assertion below
            failures.append(error)
        finally:
            holding.set()
            connection.close()

    holder = threading.Thread(target=hold_yancheng)
    holder.start()
    try:
        assert holding.wait(timeout=20)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '3s'")  # waiting on 郾城区 would fail here
            event_create(
                subject=second_county["subject"], type="criminal_case", occurred_on=DAY, title="并发"
            )
        assert holder.is_alive()  # 郾城区's transaction is still open
    finally:
        done.set()
        holder.join()
    assert failures == []
    assert AuditEntry.objects.filter(chain=YANCHENG, object_key="411103001002").exists()
    assert audit_verify()[1] == []


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_writes_in_one_county_still_take_turns(personas):
    """The chain of one county is still one chain: a second write there waits for the first to commit."""
    holding, done = threading.Event(), threading.Event()

    def hold_yancheng():
        try:
            with transaction.atomic():
                event_create(
                    subject=personas["jinniu_village"], type="criminal_case", occurred_on=DAY, title="甲"
                )
                holding.set()
                done.wait(timeout=20)
        finally:
            holding.set()
            connection.close()

    holder = threading.Thread(target=hold_yancheng)
    holder.start()
    try:
        assert holding.wait(timeout=20)
        with pytest.raises(Exception, match="lock timeout"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '500ms'")
            region_create(
                code="411103100202", name="西湾村", level=Level.VILLAGE, parent=personas["shangqiao"]
            )
    finally:
        done.set()
        holder.join()
    assert audit_verify()[1] == []


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_an_import_and_a_report_on_one_of_its_subjects_do_not_deadlock(personas):
    """The import's new rows are checked against their subjects (deferred foreign keys) before it takes
    the chain heads, not at its commit while holding them: a report holding such a subject and waiting for
    the county's head would otherwise deadlock with it."""
    from sanling.events.models import Event
    from sanling.subjects.models import Subject

    subject_locked, import_appended = threading.Event(), threading.Event()
    failures = []

    def report():
        try:
            with transaction.atomic():
                Subject.objects.select_for_update().get(pk=personas["jinniu_village"].pk)
                subject_locked.set()
                import_appended.wait(timeout=2)
                region_create(
                    code="411103001003", name="金牛三社区", level=Level.VILLAGE, parent=personas["shabei"]
                )
        except Exception as error:  # surfaces in the assertion below
            failures.append(error)
        finally:
            subject_locked.set()
            connection.close()

    reporter = threading.Thread(target=report)
    with transaction.atomic():
        Event.objects.create(
            ref="IMP-1", subject=personas["jinniu_village"], type="petition", occurred_on=DAY, title="导入"
        )
        reporter.start()
        assert subject_locked.wait(timeout=20)
        try:
            region_create(
                code="411103001002", name="金牛二社区", level=Level.VILLAGE, parent=personas["shabei"]
            )
        except Exception as error:  # surfaces in the assertion below
            failures.append(error)
        import_appended.set()
    reporter.join()
    assert failures == []
    assert audit_verify()[1] == []
