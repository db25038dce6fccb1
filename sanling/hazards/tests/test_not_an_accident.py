"""A hazard is not an accident: it never changes 达标率. An accident recorded later may name the hazard it
came from (郾城's 四查 aim "从根本上消除事故隐患": the link shows which accidents a hazard foretold)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from sanling.assessment.periods import Period
from sanling.assessment.selectors import region_rates, subject_status
from sanling.assessment.services import assessment_recompute
from sanling.events.services import event_create, event_update
from sanling.hazards.services import hazard_recheck, hazard_report, hazard_request_recheck

from .helpers import as_user, photo


def _rates(world, period):
    return [
        (row.group, row.active, row.compliant) for row in region_rates(region=world["county"], period=period)
    ]


@pytest.mark.django_db
def test_recording_hazards_and_closing_them_leaves_every_rate_as_it_was(hazard_world):
    today = hazard_world["today"]
    period = Period.of_year(today.year)
    assessment_recompute(years=[today.year])
    before = _rates(hazard_world, period)
    school_before = subject_status(subject=hazard_world["school"], period=period).breaking
    major = hazard_report(
        subject=hazard_world["factory"],
        found_on=today,
        category="安全生产",
        level="major",
        description="粉尘收集装置失效",
    )
    with as_user(hazard_world["grid_a"]):
        hazard = hazard_request_recheck(hazard=hazard_world["hazard"], on=today, photos=[photo()])
    with as_user(hazard_world["town_a"]):
        hazard_recheck(hazard=hazard, on=today, passed=True, photos=[photo()])
    assessment_recompute(years=[today.year])
    assert major.pk and before
    assert _rates(hazard_world, period) == before
    assert subject_status(subject=hazard_world["school"], period=period).breaking == school_before


@pytest.mark.django_db
def test_an_accident_may_name_the_hazard_of_its_subject_it_came_from(hazard_world):
    accident = event_create(
        subject=hazard_world["school"],
        type="accident",
        accident_grade="general",
        occurred_on=hazard_world["today"],
        title="杂物起火",
        hazard=hazard_world["hazard"],
    )
    assert list(hazard_world["hazard"].accidents.all()) == [accident]


@pytest.mark.django_db
def test_an_accident_cannot_name_a_hazard_of_another_subject(hazard_world):
    other = hazard_report(
        subject=hazard_world["factory"],
        found_on=hazard_world["found"],
        category="安全生产",
        level="general",
        description="叉车无证驾驶",
    )
    with pytest.raises(ValidationError) as refused:
        event_create(
            subject=hazard_world["school"],
            type="accident",
            accident_grade="general",
            occurred_on=hazard_world["today"],
            title="叉车伤人",
            hazard=other,
        )
    assert "hazard" in refused.value.message_dict


@pytest.mark.django_db
def test_only_an_accident_names_a_hazard(hazard_world):
    event = event_create(
        subject=hazard_world["school"],
        type="criminal_case",
        occurred_on=hazard_world["today"] - datetime.timedelta(days=1),
        title="盗窃",
    )
    with pytest.raises(ValidationError):
        event_update(event=event, version=event.version, hazard=hazard_world["hazard"])


@pytest.mark.django_db
def test_the_api_names_the_hazard_by_its_ref_and_only_one_in_scope(hazard_world, api_as):
    answer = api_as(hazard_world["town_a"]).post(
        "/api/v1/events/",
        {
            "subject": "U1",
            "type": "accident",
            "accident_grade": "general",
            "occurred_on": hazard_world["today"].isoformat(),
            "title": "杂物起火",
            "hazard": hazard_world["hazard"].ref,
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["hazard"] == hazard_world["hazard"].ref
    refused = api_as(hazard_world["town_b"]).post(
        "/api/v1/events/",
        {
            "subject": "U2",
            "type": "accident",
            "accident_grade": "general",
            "occurred_on": hazard_world["today"].isoformat(),
            "title": "杂物起火",
            "hazard": hazard_world["hazard"].ref,
        },
        format="json",
    )
    assert refused.status_code == 400


@pytest.mark.django_db
def test_the_event_form_takes_the_hazard_by_its_ref(client, hazard_world):
    from django.urls import reverse

    from sanling.events.models import Event

    client.force_login(hazard_world["town_a"])
    assert "hazard_ref" in client.get(reverse("events:create")).content.decode()
    data = {
        "subject_code": "U1",
        "type": "accident",
        "accident_grade": "general",
        "occurred_on": hazard_world["today"].isoformat(),
        "title": "杂物起火",
        "deaths": "0",
        "injuries": "0",
        "status": "reported",
        "hazard_ref": "H-NOT-THERE",
    }
    refused = client.post(reverse("events:create"), data)
    assert refused.status_code in (200, 400) and not Event.objects.filter(title="杂物起火").exists()
    assert "杂物起火" in refused.content.decode()
    data["hazard_ref"] = hazard_world["hazard"].ref
    client.post(reverse("events:create"), data)
    assert Event.objects.get(title="杂物起火").hazard == hazard_world["hazard"]
