"""Refs and codes a user types name records in addresses, so one validator (``validate_ref``) keeps them to a
safe pattern everywhere: model, web form, API and importer (issue 14, item 13). A clash on a unique ref says
nothing about records outside the user's scope."""

import pytest
from django.core.checks import run_checks
from django.urls import reverse

from sanling.conftest import write_csv
from sanling.events.models import Event
from sanling.exchange.importer import bundle_import
from sanling.exchange.reader import BundleInvalid
from sanling.subjects.models import Subject

pytestmark = pytest.mark.django_db

UNSAFE = ["../../etc/passwd", "a/b", "E 1", "..", ".hidden", "E1\u0007", "E%2F1", "E1;rm"]


def event(**changes) -> dict:
    return {"subject": "U1", "type": "security_case", "occurred_on": "2025-04-01", "title": "打架"} | changes


@pytest.mark.parametrize("ref", UNSAFE)
def test_the_api_refuses_an_unsafe_event_ref(personas, api_as, ref):
    response = api_as(personas["town_a"]).post("/api/v1/events/", event(ref=ref), format="json")
    assert response.status_code == 400
    assert "不能用作编号" in response.json()["errors"]["ref"][0]
    assert not Event.objects.filter(ref=ref).exists()


def test_the_api_refuses_an_unsafe_dispute_ref(personas, api_as):
    body = {
        "ref": "../d",
        "subject": "U1",
        "reported_on": "2025-04-01",
        "category": "邻里纠纷",
        "summary": "争地",
    }
    response = api_as(personas["town_a"]).post("/api/v1/disputes/", body, format="json")
    assert response.status_code == 400
    assert "ref" in response.json()["errors"]


@pytest.mark.parametrize("ref", ["E20250401AB", "信访-2025.001", "D_7"])
def test_letters_digits_chinese_and_dashes_make_a_ref(personas, api_as, ref):
    response = api_as(personas["town_a"]).post("/api/v1/events/", event(ref=ref), format="json")
    assert response.status_code == 201
    assert api_as(personas["town_a"]).get(f"/api/v1/events/{ref}/").status_code == 200


def test_the_web_form_refuses_an_unsafe_subject_code(client, personas):
    client.force_login(personas["town_a"])
    form = {"code": "../U9", "name": "金牛幼儿园", "kind": "institution", "category": "kindergarten"}
    form |= {"region": personas["jinniu"].code, "department": "JY", "joined_on": "2025-04-01"}
    response = client.post(reverse("subjects:create"), form)
    assert response.status_code == 200
    assert "不能用作编号" in str(response.context["form"].errors["code"])
    assert not Subject.objects.filter(code="../U9").exists()


EVENT_HEADER = ["ref", "type", "subject_code", "occurred_on", "title"]


def test_the_importer_refuses_an_unsafe_event_ref(personas, tmp_path):
    write_csv(
        tmp_path / "b",
        "events.csv",
        [EVENT_HEADER, ["../../etc/passwd", "治安案件", "U1", "2025-04-01", "x"]],
    )
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(tmp_path / "b")
    (error,) = invalid.value.errors
    assert (error.file, error.row) == ("events.csv", 2)
    assert "不能用作编号" in error.message


def test_the_importer_refuses_an_unsafe_department_code(db, tmp_path):
    write_csv(tmp_path / "b", "departments.csv", [["code", "name"], ["JY/../x", "区教育局"]])
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(tmp_path / "b")
    (error,) = invalid.value.errors
    assert (error.file, error.row) == ("departments.csv", 2)
    assert "不能用作编号" in error.message


def test_refs_stored_before_the_rule_are_reported_by_the_check(personas):
    Event.objects.filter(pk=personas["event_a"].pk).update(ref="../old")
    warnings = [message for message in run_checks(databases=["default"]) if message.id == "sanling.W001"]
    assert len(warnings) == 1
    assert "../old" in warnings[0].msg


def test_stored_refs_that_fit_raise_no_warning(personas):
    assert not [message for message in run_checks(databases=["default"]) if message.id == "sanling.W001"]


def test_a_ref_taken_in_another_town_is_refused_without_saying_it_exists(personas, api_as):
    taken = personas["event_b"].ref  # an event of 商桥, outside the 沙北 operator's scope
    response = api_as(personas["town_a"]).post("/api/v1/events/", event(ref=taken), format="json")
    assert response.status_code == 400
    message = response.json()["errors"]["ref"][0]
    assert "已存在" not in message and "exists" not in message
    assert "不能使用" in message


def test_a_subject_code_taken_in_another_town_is_refused_without_saying_it_exists(client, personas):
    client.force_login(personas["town_a"])
    form = {"code": "U2", "name": "金牛幼儿园", "kind": "institution", "category": "kindergarten"}
    form |= {"region": personas["jinniu"].code, "department": "JY", "joined_on": "2025-04-01"}
    response = client.post(reverse("subjects:create"), form)
    message = str(response.context["form"].errors["code"])
    assert "已存在" not in message and "不能使用" in message
