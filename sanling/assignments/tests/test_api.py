"""/api/v1/assignments/ and its moves feedback, accept and return."""

import pytest

from sanling.assignments.models import AssignmentStatus

from .conftest import give, photo

pytestmark = pytest.mark.django_db


def test_the_api_lists_gives_and_moves_an_assignment(jb, api_as):
    county = api_as(jb["admin_user"])
    created = county.post(
        "/api/v1/assignments/",
        {"organisation": "SQ-MTZX", "issue": "东湾村走访", "due_on": "2099-01-01", "subjects": ["V2"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    ref = created.json()["ref"]
    town = api_as(jb["town_b"])
    assert [row["ref"] for row in town.get("/api/v1/assignments/").json()["results"]] == [ref]
    fed = town.post(
        f"/api/v1/assignments/{ref}/feedback/",
        {"text": "已走访", "evidence": [photo()], "version": 1},
        format="multipart",
    )
    assert fed.status_code == 200, fed.content
    assert fed.json()["status"] == AssignmentStatus.FED_BACK
    returned = county.post(
        f"/api/v1/assignments/{ref}/return/", {"reason": "证据不足", "version": 2}, format="json"
    )
    assert returned.status_code == 200 and returned.json()["status"] == AssignmentStatus.PENDING


def test_feedback_without_evidence_is_a_400_and_the_wrong_side_a_403(jb, api_as):
    assignment = give(jb)
    town = api_as(jb["town_b"])
    response = town.post(f"/api/v1/assignments/{assignment.ref}/feedback/", {"text": "已处理"}, format="json")
    assert response.status_code == 400 and "evidence" in response.json()["errors"]
    response = api_as(jb["admin_user"]).post(
        f"/api/v1/assignments/{assignment.ref}/feedback/",
        {"text": "代为反馈", "evidence": [photo()]},
        format="multipart",
    )
    assert response.status_code == 403


def test_accepting_twice_is_a_409(jb, api_as):
    from sanling.assignments.services import assignment_accept, assignment_feedback

    assignment = give(jb)
    assignment_feedback(assignment=assignment, user=jb["town_b"], text="已处理", evidence=[photo()])
    assignment_accept(assignment=assignment, user=jb["admin_user"])
    response = api_as(jb["admin_user"]).post(
        f"/api/v1/assignments/{assignment.ref}/accept/", {}, format="json"
    )
    assert response.status_code == 409


def test_another_town_does_not_reach_the_assignment(jb, api_as):
    assignment = give(jb)
    town_a = api_as(jb["town_a"])
    assert town_a.get("/api/v1/assignments/").json()["results"] == []
    assert town_a.get(f"/api/v1/assignments/{assignment.ref}/").status_code == 404
    assert town_a.post(f"/api/v1/assignments/{assignment.ref}/accept/", {}, format="json").status_code == 404
