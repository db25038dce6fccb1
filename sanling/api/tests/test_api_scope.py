"""Every API endpoint keeps to the caller's scope: another town's or department's objects are neither
listed, nor readable, nor changeable. The endpoints are taken from the router, so a new one is covered."""

import pytest

from sanling.accounts.tests.test_scope_everywhere import casework_of_town_b
from sanling.api.urls import router
from sanling.events.models import Event
from sanling.subjects.models import Subject

pytestmark = pytest.mark.django_db

# resource -> (list URL, the other side's key for town_a, for dept, a PATCH body)
RESOURCES = {
    "subject": ("/api/v1/subjects/", "U2", "U2", {"name": "改名"}),
    "event": ("/api/v1/events/", "event_b", "event_b", {"title": "改名"}),
    "dispute": ("/api/v1/disputes/", "dispute_b", "dispute_b", {"summary": "改名"}),
    "petition": ("/api/v1/petitions/", "petition_b", "petition_b", {"summary": "改名"}),
    "agency-case": ("/api/v1/agency-cases/", "agency_b", "agency_b", None),
    "backlog": ("/api/v1/backlog/", "backlog_b", "backlog_b", None),
    "organisation": ("/api/v1/organisations/", "SQ-MTZX", "SQ-MTZX", {"name": "改名"}),
    "region": ("/api/v1/regions/", "411103100000", None, None),
    "department": ("/api/v1/departments/", None, "YJ", None),
    "audit": ("/api/v1/audit/", "first_entry", "first_entry", None),
    "token": ("/api/v1/tokens/", "other_token", "other_token", None),
    # Fieldwork (issue 15): the records each app's tests/scope_objects.py world_b makes in 商桥镇.
    "key-person": ("/api/v1/key-people/", "KP-DONGWAN-1", "KP-DONGWAN-1", {"note": "改名"}),
    "post": ("/api/v1/posts/", "post_b", "post_b", {"holder_name": "改名"}),  # grids (issue 15)
    "hazard": ("/api/v1/hazards/", "hazard_b", "hazard_b", None),
    "inspection": ("/api/v1/inspections/", "inspection_b", "inspection_b", None),
    # Fieldwork (issue 15): 走访 (sanling.visits.tests.scope_objects makes 商桥's records)
    "visit": ("/api/v1/visits/", "visit_b", "visit_b", {"persons_met": 5}),
    "household": ("/api/v1/households/", "household_b", "household_b", {"households": 5}),
    # 巡防 and meetings (sanling.patrols / sanling.meetings tests.scope_objects make 商桥's records)
    "patrol": ("/api/v1/patrols/", "patrol_b", "patrol_b", {"route": "改道"}),
    "patrol-team": ("/api/v1/patrol-teams/", "patrol_team_b", "patrol_team_b", {"name": "改名"}),
    "meeting": ("/api/v1/meetings/", "meeting_b", "meeting_b", {"minutes": "改写"}),
    # Targets (issue 16): 商桥镇's own target (sanling.targets.tests.scope_objects)
    "target": ("/api/v1/targets/", "target_b_pk", "target_b_pk", {"value": "50"}),
    # 四色预警 (issue 16): 东湾村 (V2) is on the watch list (sanling.alerts.tests.scope_objects); the rule sets are
    # the county's, read by everyone and written by the county administrator only.
    "warning": ("/api/v1/warnings/", "V2", "V2", None),
    "warning-rule-set": ("/api/v1/warning-rule-sets/", None, None, None),
    # 交办 and 盯报表 (issue 16: sanling.assignments / sanling.reporting tests.scope_objects)
    "assignment": ("/api/v1/assignments/", "assignment_b", "assignment_b", None),
    "unreported": ("/api/v1/unreported/", None, None, None),
    # 督查 and the 四函 (sanling.supervision.tests.scope_objects makes 商桥's visit, finding and letter)
    "supervision-visit": ("/api/v1/supervision-visits/", "supervision_visit_b", "supervision_visit_b", None),
    "finding": ("/api/v1/findings/", "finding_b", "finding_b", None),
    "letter": ("/api/v1/letters/", "letter_b", "letter_b", None),
    # 三零播报 and the other reports (sanling.reports.tests.scope_objects makes 商桥 operator's report)
    "report": ("/api/v1/reports/", "report_b", "report_b", None),
    # 一月一讲评 and 考核 (issue 16): 商桥镇's review (reviews.tests.scope_objects); the indicator sets are the
    # county's rules (read by all, written by a county administrator only), so no side's object to look for.
    "review": ("/api/v1/reviews/", "review_b", "review_b", None),
    "indicator-set": ("/api/v1/indicator-sets/", None, None, None),
}


def test_every_registered_resource_is_covered():
    assert {basename for _prefix, _viewset, basename in router.registry} == set(RESOURCES)


@pytest.fixture
def world(casework):
    from sanling.accounts.services import api_token_create
    from sanling.accounts.tests.test_scope_everywhere import FIELDWORK_SCOPE
    from sanling.audit.models import AuditEntry

    personas = casework
    for module in FIELDWORK_SCOPE:  # each fieldwork app's 商桥 records
        personas = personas | module.world_b(personas)
    token, _key = api_token_create(user=personas["town_b"], name="东湾", expires_at=None)
    town_b = casework_of_town_b(personas)
    # The loop above made each fieldwork app's 商桥 records once (making them again would clash).
    return personas | {
        "hazard_b": personas["hazard_b"].ref,
        "inspection_b": personas["inspection_b"].ref,
        "visit_b": personas["household_visit_b"].ref,
        "household_b": str(personas["household_count_b"].pk),
        "patrol_b": personas["patrol_log_b"].ref,
        "patrol_team_b": str(personas["patrol_team_b"].pk),
        "meeting_b": personas["meeting_b"].ref,
        "assignment_b": personas["assignment_b"].ref,
        "review_b": str(personas["review_b"].pk),
        "other_token": str(token.pk),
        "first_entry": str(AuditEntry.objects.order_by("id").first().pk),
        "event_b": personas["event_b"].ref,
        "dispute_b": personas["dispute_b"].ref,
        "petition_b": town_b["petition_b"].ref,
        "agency_b": town_b["agency_b"].ref,
        "backlog_b": str(town_b["backlog_b"].pk),
        "post_b": str(personas["post_b"].pk),
    }


def _key(world, key):
    return world.get(key, key) if key else None


# A department user may read every region, and a town user every department: those pairs are left out.
CASES = [
    (resource, outsider)
    for resource, (_url, town_key, dept_key, _patch) in RESOURCES.items()
    for outsider, key in (("town_a", town_key), ("dept", dept_key))
    if key is not None
]


@pytest.mark.parametrize("resource, outsider", CASES)
def test_another_sides_object_is_not_listed_read_or_changed(world, api_as, outsider, resource):
    list_url, town_key, dept_key, patch = RESOURCES[resource]
    key = _key(world, town_key if outsider == "town_a" else dept_key)
    api = api_as(world[outsider])
    listed = api.get(list_url, {"page_size": 500}).json()["results"]
    keys = {str(item.get("code") or item.get("ref") or item.get("seq") or item.get("id")) for item in listed}
    assert key not in keys, f"{outsider} lists {key} in {list_url}"
    url = f"{list_url}{key}/"
    assert api.get(url).status_code == 404
    for method in ("patch", "put", "delete"):
        status = getattr(api, method)(url, patch or {}, format="json", HTTP_IF_MATCH='"1"').status_code
        assert status in (404, 405), f"{method.upper()} {url} answered {status} to {outsider}"
    for action_path in detail_actions(resource):
        answer = api.generic(
            "POST" if action_path in posted_actions(resource) else "GET", f"{url}{action_path}/"
        ).status_code
        assert answer == 404, f"{action_path} of {url} answered {answer} to {outsider}"


def _viewset(resource: str):
    return next(viewset for _prefix, viewset, basename in router.registry if basename == resource)


def detail_actions(resource: str) -> list[str]:
    """The URL paths of a resource's actions on one object (escalate, timeline, unmask …)."""
    return [extra.url_path for extra in _viewset(resource).get_extra_actions() if extra.detail]


def posted_actions(resource: str) -> list[str]:
    return [
        extra.url_path
        for extra in _viewset(resource).get_extra_actions()
        if extra.detail and "post" in extra.mapping
    ]


# Every create and every POSTed action of an object (a token is the user's own: anyone makes one).
WRITES = [
    (resource, action_path)
    for resource in RESOURCES
    if resource != "token"
    for action_path in [None, *posted_actions(resource)]
]


@pytest.mark.parametrize("resource, action_path", WRITES)
def test_a_read_only_viewer_cannot_post_anywhere(world, api_as, resource, action_path):
    list_url, town_key, _dept_key, _patch = RESOURCES[resource]
    url = list_url if action_path is None else f"{list_url}{_key(world, town_key or 'x')}/{action_path}/"
    answer = api_as(world["viewer"]).post(url, {"on": "2025-03-10", "reason": "只读"}, format="json")
    assert answer.status_code == 403, f"POST {url} answered {answer.status_code} to the viewer"


def test_nothing_of_the_other_side_changed(world, api_as):
    for outsider in ("town_a", "dept"):
        api = api_as(world[outsider])
        api.patch("/api/v1/subjects/U2/", {"name": "改名"}, format="json", HTTP_IF_MATCH='"1"')
        api.delete(f"/api/v1/events/{world['event_b']}/", HTTP_IF_MATCH='"1"')
    assert Subject.objects.get(code="U2").name == "东湾食品厂"
    assert Event.objects.filter(ref=world["event_b"]).exists()


def test_a_record_cannot_be_filed_against_another_towns_subject(world, api_as):
    response = api_as(world["town_a"]).post(
        "/api/v1/events/",
        {"subject": "V2", "type": "criminal_case", "occurred_on": "2025-03-10", "title": "越权"},
        format="json",
    )
    assert response.status_code == 400
    assert "subject" in response.json()["errors"]
    assert not Event.objects.filter(title="越权").exists()


def test_an_event_cannot_be_moved_to_another_towns_subject(world, api_as):
    ref = world["event_a"].ref
    response = api_as(world["town_a"]).patch(
        f"/api/v1/events/{ref}/", {"subject": "V2"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 400
    assert Event.objects.get(ref=ref).subject.code == "V1"


def test_the_rates_of_another_town_are_not_found(world, api_as):
    response = api_as(world["town_a"]).get("/api/v1/rates/", {"region": "411103100000", "period": "2025"})
    assert response.status_code == 404


def test_the_tree_of_another_town_is_not_found(world, api_as):
    response = api_as(world["town_a"]).get("/api/v1/regions/tree/", {"root": "411103100000"})
    assert response.status_code == 404


def test_a_leader_reads_but_cannot_write(world, api_as):
    api = api_as(world["viewer"])
    assert api.get("/api/v1/events/").status_code == 200
    created = api.post(
        "/api/v1/events/",
        {"subject": "V1", "type": "criminal_case", "occurred_on": "2025-03-10", "title": "只读"},
        format="json",
    )
    assert created.status_code == 403
    assert created.json()["code"] == "permission_denied"


def test_a_department_user_sees_only_its_own_units(world, api_as):
    codes = [subject["code"] for subject in api_as(world["dept"]).get("/api/v1/subjects/").json()["results"]]
    assert codes == ["U1"]
