"""What another system will do: push a county's events with retries and concurrent edits. The rates
must equal the import path's, with no duplicate rows and a chain that verifies."""

import datetime
import random
import threading

import pytest
from django.db import connection

from sanling.assessment.periods import Period
from sanling.assessment.selectors import region_rates
from sanling.assessment.services import assessment_check
from sanling.audit.selectors import audit_verify
from sanling.conftest import write_csv
from sanling.events.models import Event
from sanling.exchange.importer import bundle_import

TYPES = ["petition", "criminal_case", "security_case", "accident"]


def _events(count: int) -> list[dict]:
    rng = random.Random(11)
    rows = []
    for number in range(count):
        kind = rng.choice(TYPES)
        row = {
            "ref": f"HOT{number:05d}",
            "subject": rng.choice(["V1", "V2", "U1", "U2"]),
            "type": kind,
            "occurred_on": (
                # on or after the day the personas' subjects joined: an earlier date is refused
                datetime.date(2025, 3, 3) + datetime.timedelta(days=rng.randrange(300))
            ).isoformat(),
            "title": f"热线转办 {number}",
        }
        if kind == "petition":
            row["petition_level"] = rng.choice(["village", "town", "county"])
        if kind == "accident":
            row["accident_grade"] = "general"
        rows.append(row)
    return rows


def _figures() -> list:
    county = Period.parse("2025")
    from sanling.regions.models import Region

    node = Region.objects.get(code="411103000000")
    return [row.as_dict() for row in region_rates(region=node, period=county, by="child")] + [
        row.as_dict() for row in region_rates(region=node, period=county, by="department")
    ]


@pytest.mark.django_db
def test_events_pushed_with_retries_give_the_import_paths_rates(personas, api_as, tmp_path):
    api = api_as(personas["admin_user"])
    events = _events(60)
    for event in events:
        for _attempt in range(2):  # every POST is retried once, as after a lost answer
            response = api.post("/api/v1/events/", event, format="json", HTTP_IDEMPOTENCY_KEY=event["ref"])
            assert response.status_code == 201, response.json()
    assert Event.objects.filter(ref__startswith="HOT").count() == 60
    through_api = _figures()

    Event.objects.filter(ref__startswith="HOT").delete()
    header = ["ref", "type", "subject_code", "occurred_on", "title", "petition_level", "accident_grade"]
    write_csv(
        tmp_path,
        "events.csv",
        [header]
        + [
            [
                e["ref"],
                e["type"],
                e["subject"],
                e["occurred_on"],
                e["title"],
                e.get("petition_level", ""),
                e.get("accident_grade", ""),
            ]
            for e in events
        ],
    )
    from sanling.assessment.services import assessment_recompute

    assessment_recompute()  # the rows deleted behind the services' back
    bundle_import(tmp_path)
    assert _figures() == through_api
    assert assessment_check() == []
    assert audit_verify()[1] == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_create_one_row(personas, api_as):
    clients = [api_as(personas["town_a"]) for _ in range(4)]
    body = {"subject": "V1", "type": "criminal_case", "occurred_on": "2025-05-05", "title": "并发重试"}
    answers = []

    def post(client):
        try:
            answers.append(client.post("/api/v1/events/", body, format="json", HTTP_IDEMPOTENCY_KEY="same"))
        except Exception as error:  # surfaces in the assertion below
            answers.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [getattr(answer, "status_code", answer) for answer in answers] == [201] * 4
    assert len({answer.json()["ref"] for answer in answers}) == 1
    assert Event.objects.filter(title="并发重试").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_of_one_version_let_exactly_one_through(personas, api_as):
    ref = personas["event_a"].ref
    answers = []

    def edit(client, title):
        try:
            answers.append(
                client.patch(f"/api/v1/events/{ref}/", {"title": title}, format="json", HTTP_IF_MATCH='"1"')
            )
        except Exception as error:  # surfaces in the assertion below
            answers.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=edit, args=(api_as(personas["town_a"]), f"编辑{number}"))
        for number in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(str(getattr(answer, "status_code", answer)) for answer in answers) == [
        "200",
        "412",
        "412",
        "412",
    ]
    winner = next(answer for answer in answers if answer.status_code == 200).json()["title"]
    assert Event.objects.get(ref=ref).title == winner
    assert assessment_check() == []
    assert audit_verify()[1] == []
