"""Generated from the URL configuration: no page or object of another town or department is reachable.

Every named URL is visited. Those taking an object (a region code or a record id) are opened on an object
of 商桥镇 by the 沙北 operator and on a unit of another department by the education bureau's user: each
must answer 403 or 404. Pages without an object must not show the other town's records. A new URL
pattern whose parameter is not known here fails the test, so no page is left out by accident.
"""

import importlib
import io

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from sanling.accounts.scope import scope_for
from sanling.assessment.periods import Period
from sanling.assessment.selectors import rates_for

pytestmark = pytest.mark.django_db

# Supervision and reports (issue 16) say the same of theirs.
SUPERVISION_APPS = (
    "targets",
    "alerts",
    "reporting",
    "assignments",
    "supervision",
    "reviews",
    "reports",
    "scoring",
)
# Fieldwork apps (issue 15) each say, in ``<app>/tests/scope_objects.py``, which of 商桥镇's records their URL
# parameters point at (``object_for``) and make those records (``world_b``).
FIELDWORK_SCOPE = [
    importlib.import_module(f"sanling.{app}.tests.scope_objects")
    for app in (
        "grids",
        "hazards",
        "keypeople",
        "visits",
        "patrols",
        "meetings",
        "fieldwork",
        *SUPERVISION_APPS,
    )
]


def fieldwork_object_for(name: str, parameter: str, world: dict, town_b: bool):
    for module in FIELDWORK_SCOPE:
        value = module.object_for(name, parameter, world, town_b)
        if value is not None:
            return value
    return None


OUTSIDER_CODES = {"403", "404"}


def named_patterns(resolvers=None, namespace=""):
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            # path() patterns name their parameters as converters, the API router's regexes as groups
            yield f"{namespace}{entry.name}", list(entry.pattern.converters or entry.pattern.regex.groupindex)


def object_for(name: str, parameter: str, world: dict, outsider: str):
    """The other town's (or department's) object a parameter of URL ``name`` points at."""
    town_b = outsider == "town_a"
    if name.startswith("api:"):
        return api_object_for(name, parameter, world, town_b)
    if name == "accounts:token_revoke":
        return world["other_token"].pk
    if parameter == "code":
        return world["shangqiao"].code if town_b else world["province"].code
    if name.startswith(
        "petitions:"
    ):  # petitions, 积案 and 信访代理 (and their case sheets) by the case's ref
        if parameter == "action":
            return "accept"
        return world["agency_b" if name.startswith("petitions:agency") else "petition_b"].ref
    if name.startswith("subjects:"):
        return world["factory"].pk
    if name.startswith("events:"):
        return world["event_b"].pk
    if name.startswith("disputes:"):  # the record screens take its id, the case screens its ref (一案一码)
        return world["dispute_b"].ref if parameter == "ref" else world["dispute_b"].pk
    if name.startswith("accounts:"):
        return world["town_b"].pk
    if name == "work:attachment_add":
        return world["case_b"].ref
    if name == "work:attachment":
        return world["attachment_b"].pk
    if name == "work:notification_read":  # someone else's notification
        return world["notification_b"].pk
    if name.startswith("jobs:"):  # a job is its owner's alone: the county administrator's export
        return world["job_b"].pk
    if name.startswith("dictionary:"):  # the county's lists: only administrators may open an entry
        from sanling.dictionary.models import Entry

        return Entry.objects.order_by("pk").first().pk
    if (value := fieldwork_object_for(name, parameter, world, town_b)) is not None:
        return value
    raise AssertionError(f"the scope test does not know the parameter {parameter!r} of URL {name!r}")


def api_object_for(name: str, parameter: str, world: dict, town_b: bool):
    resource = name.removeprefix("api:").split("-")[0]
    if resource in ("petition", "agency"):  # the case API of issue 17 (agency-case)
        return world[f"{resource}_b"].ref
    if resource == "backlog":
        return world["backlog_b"].pk
    if resource == "organisation":
        return world["org_shangqiao"].code
    if resource == "region":
        return world["shangqiao"].code if town_b else world["province"].code
    if resource == "subject":
        return world["factory"].code
    if resource == "department":
        return world["safety"].code
    if resource in ("event", "dispute"):
        return world[f"{resource}_b"].ref
    if resource == "audit":
        return world["audit_entry_b"].seq
    if resource == "token":
        return world["other_token"].pk
    if resource == "case":
        return world["case_b"].ref
    if resource == "attachment":
        return world["attachment_b"].pk
    if (value := fieldwork_object_for(name, parameter, world, town_b)) is not None:
        return value
    raise AssertionError(f"the scope test does not know the parameter {parameter!r} of URL {name!r}")


@pytest.fixture
def world(personas, settings, tmp_path):
    """The personas with an API token of another user, an audit entry about 商桥镇, a petition (on the 积案
    ledger) and an agency case of 东湾村, and the case of the 东湾 dispute with a photo attached and a
    notification to the 商桥 operator, and a finished export job (with its file) of the county administrator,
    holding 商桥's rows."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sanling.accounts.services import api_token_create
    from sanling.audit.models import AuditEntry
    from sanling.jobs.services import job_start
    from sanling.organisations.services import organisation_create
    from sanling.petitions.services import agency_create, backlog_flag, petition_create
    from sanling.work.attachments import attachment_add
    from sanling.work.models import Notification

    settings.ATTACHMENT_DIR = tmp_path / "attachments"
    other_token, _key = api_token_create(user=personas["town_b"], name="商桥 hotline", expires_at=None)
    audit_entry_b = AuditEntry.objects.filter(object_key=personas["event_b"].ref).first()
    day = personas["event_b"].occurred_on
    petition_b = petition_create(
        subject=personas["dongwan_village"],
        received_on=day,
        level="town",
        channel="visit",
        summary="东湾征地信访",
    )
    backlog_flag(
        item=petition_b.case,
        on=day,
        responsible_organisation=organisation_create(
            code="SQ-XFB", name="商桥镇信访办", kind="petition_office", region=personas["shangqiao"]
        ),
        responsible_person="商桥责任人",
        leader="商桥包案领导",
        deadline=day,
    )
    agency_b = agency_create(subject=personas["dongwan_village"], applied_on=day, summary="东湾信访代理")
    case_b = personas["dispute_b"].case
    photo = SimpleUploadedFile("东湾现场.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")
    attachment_b = attachment_add(item=case_b, upload=photo)
    notification_b = Notification.objects.create(
        user=personas["town_b"], item=case_b, kind="overdue", on=case_b.opened_on, message="东湾土地纠纷逾期"
    )
    settings.JOBS_DIR = tmp_path / "jobs"
    job_b = job_start("export", personas["admin_user"], export="bundle", params={"format": "zip"})
    fieldwork_b: dict = {}
    for module in FIELDWORK_SCOPE:
        fieldwork_b.update(module.world_b({**personas, **fieldwork_b}))
    return {
        **personas,
        **fieldwork_b,
        "job_b": job_b,
        "other_token": other_token,
        "audit_entry_b": audit_entry_b,
        "petition_b": petition_b,
        "agency_b": agency_b,
        "case_b": case_b,
        "attachment_b": attachment_b,
        "notification_b": notification_b,
    }


@pytest.fixture
def cases_b(casework) -> dict:
    """The 商桥 organisations, and a petition, an agency case and a 积案 entry of 东湾村 (the case API)."""
    return {"org_shangqiao": casework["org_shangqiao"], **casework_of_town_b(casework)}


def casework_of_town_b(world: dict) -> dict:
    """A petition, an agency case and a 积案 entry of 东湾村 (商桥镇), for the outsiders to look for."""
    import datetime

    from sanling.petitions.services import agency_create, backlog_flag, petition_create

    day = datetime.date(2025, 3, 4)
    petition = petition_create(
        subject=world["dongwan_village"], received_on=day, level="town", channel="visit", summary="东湾征地"
    )
    agency = agency_create(subject=world["dongwan_village"], applied_on=day, summary="东湾代理")
    backlog = backlog_flag(
        item=petition.case,
        on=day,
        responsible_organisation=world["org_shangqiao"],
        responsible_person="东湾责任人",
        leader="东湾包案领导",
        deadline=datetime.date(2025, 6, 30),
    )
    return {"petition_b": petition, "agency_b": agency, "backlog_b": backlog}


def readable(response) -> str:
    """The text of a page, or of every cell of an Excel download."""
    if "spreadsheetml" in response.get("Content-Type", ""):
        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        return " ".join(
            str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row
        )
    return response.content.decode()


def test_every_url_is_known(personas):
    names = [name for name, _params in named_patterns() if not name.startswith("admin:")]
    assert {
        "dashboard:region",
        "subjects:detail",
        "events:edit",
        "disputes:edit",
        "accounts:user_edit",
        "api:subject-detail",
        "api:event-detail",
        "api:dispute-detail",
        "api:audit-detail",
        "api:token-detail",
        "api:my-work",
        "api:case-attachments",
        "api:attachment-download",
        "work:mine",
        "work:overdue",
        "work:notifications",
        "work:attachment",
        "work:attachment_add",
        "work:notification_read",
        "jobs:detail",
        "jobs:status",
        "jobs:file",
    } <= set(names)


def test_every_case_endpoint_is_known(personas):
    names = {name for name, _params in named_patterns()}
    assert {
        "api:petition-detail",
        "api:petition-accept",
        "api:dispute-escalate",
        "api:agency-case-advance",
        "api:backlog-check",
        "api:organisation-detail",
    } <= names


@pytest.mark.parametrize("outsider", ["town_a", "dept"])
def test_objects_of_another_town_or_department_answer_403_or_404(client, world, cases_b, outsider):
    personas = {**world, **cases_b}
    client.force_login(personas[outsider])
    checked = 0
    for name, parameters in named_patterns():
        if name.startswith("admin:") or not parameters:
            continue
        kwargs = {parameter: object_for(name, parameter, personas, outsider) for parameter in parameters}
        url = reverse(name, kwargs=kwargs)
        if outsider == "dept" and name in ("dashboard:region", "dashboard:map", "api:region-detail"):
            continue  # a department user may open any region; the figures are its own units only (tested below)
        if outsider == "dept" and name == "api:region-children":
            continue  # …and list any region's children (names and codes of the tree only)
        if outsider == "town_a" and name == "api:department-detail":
            continue  # departments are the county's list, open to every region user
        # API routes are read with GET and changed with PATCH/DELETE; a method a route lacks answers 405
        # before any object is looked up, which tells nothing about it.
        api = name.startswith("api:")
        for method in ("get", "post", "patch", "delete") if api else ("get", "post"):
            status = str(getattr(client, method)(url).status_code)
            assert status in (OUTSIDER_CODES | {"405"} if api else OUTSIDER_CODES), (
                f"{method.upper()} {url} ({name}) answered {status} to {outsider}"
            )
        checked += 1
    assert checked >= 14


def test_pages_without_an_object_do_not_show_the_other_towns_records(client, world):
    client.force_login(world["town_a"])
    for name, parameters in named_patterns():
        if name.startswith("admin:") or parameters:
            continue
        response = client.get(reverse(name), follow=True)
        assert response.status_code in (200, 400, 403, 405), name  # 400: the rates need parameters
        content = readable(response)
        for marker in ("东湾", "商桥"):
            assert marker not in content, f"{name} shows {marker} to the 沙北 operator"


def test_the_admin_is_closed_to_everyone_but_superusers(client, personas):
    client.force_login(personas["admin_user"])
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/subjects/subject/").status_code == 403


def test_a_department_user_sees_only_its_units_on_any_dashboard(client, personas):
    rows = rates_for(
        scope=scope_for(personas["dept"]), region=personas["county"], period=Period.parse("2025")
    )
    assert [(row.group, row.active, row.compliant) for row in rows] == [("unit", 1, 1)]
    client.force_login(personas["dept"])
    assert (
        client.get(reverse("dashboard:region", kwargs={"code": personas["county"].code})).status_code == 200
    )
    response = client.get(reverse("subjects:list"))
    assert "实验小学" in response.content.decode()
    assert "东湾食品厂" not in response.content.decode()


def test_a_viewer_cannot_write(client, personas):
    client.force_login(personas["viewer"])
    assert client.get(reverse("events:create")).status_code == 403
    assert client.post(reverse("events:edit", kwargs={"pk": personas["event_a"].pk})).status_code == 403
