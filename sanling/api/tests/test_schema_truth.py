"""The OpenAPI schema says what the API does (issue 14, item 11): the children of a region are a page, If-Match
is required where its absence answers 428, a refused login is the documented 401, empty filters are refused
as the schema's minLength says, and every operation documents 503 (and 413 where it takes a body)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(db, settings):
    settings.API_SCHEMA_PUBLIC = True
    return Client().get("/api/v1/schema/?format=json").json()


def parameter(schema, path, method, name):
    return next(p for p in schema["paths"][path][method]["parameters"] if p["name"] == name)


def test_the_children_of_a_region_are_documented_as_a_page(schema):
    response = schema["paths"]["/api/v1/regions/{code}/children/"]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"]["$ref"].endswith("/PaginatedRegionList")


def test_the_children_of_a_region_answer_a_page(personas, api_as):
    body = api_as(personas["town_a"]).get(f"/api/v1/regions/{personas['shabei'].code}/children/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert [region["name"] for region in body["results"]] == ["金牛社区"]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_if_match_is_required_on_versioned_writes(schema, method):
    assert parameter(schema, "/api/v1/events/{ref}/", method, "If-Match")["required"] is True


def test_a_token_has_no_version_so_its_delete_needs_no_if_match(schema):
    operation = schema["paths"]["/api/v1/tokens/{id}/"]["delete"]
    assert "If-Match" not in [p["name"] for p in operation["parameters"]]
    assert "428" not in operation["responses"]


def test_a_delete_without_if_match_answers_the_documented_428(personas, api_as):
    response = api_as(personas["town_a"]).delete(f"/api/v1/events/{personas['event_a'].ref}/")
    assert response.status_code == 428


def test_a_wrong_password_for_a_token_answers_the_documented_401(personas, schema):
    assert "401" in schema["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    response = Client().post(
        "/api/v1/auth/token/",
        {"username": "town_a", "password": "wrong", "name": "x"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("query", ["until=", "since=%20", "verb="])
def test_an_empty_filter_is_refused(personas, api_as, query):
    response = api_as(personas["auditor"]).get(f"/api/v1/audit/?{query}")
    assert response.status_code == 400
    assert "为空" in response.json()["message"]


def test_the_schema_says_filters_may_not_be_empty(schema):
    assert parameter(schema, "/api/v1/events/", "get", "occurred_from")["schema"]["minLength"] == 1


@pytest.mark.parametrize("page_size", ["abc", "0", "-1", "null"])
def test_a_page_size_that_is_not_a_positive_number_is_refused(personas, api_as, page_size):
    response = api_as(personas["town_a"]).get(f"/api/v1/events/?page_size={page_size}")
    assert response.status_code == 400
    assert "page_size" in response.json()["errors"]


def test_every_operation_documents_503_and_those_with_a_body_413(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "503" in operation["responses"], f"{method} {path}"
            if method in ("post", "put", "patch"):
                assert "413" in operation["responses"], f"{method} {path}"


def test_the_tree_depth_is_documented_as_the_api_enforces_it(schema):
    depth = parameter(schema, "/api/v1/regions/tree/", "get", "depth")["schema"]
    assert (depth["minimum"], depth["maximum"]) == (0, 3)


def test_the_schema_builds_without_a_warning(db, tmp_path):
    # drf-spectacular warns where it has to guess (a filter's type, two enums of one name): a guess is a
    # schema that may lie, so none is allowed.
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yaml"))


def test_the_case_steps_document_their_conflicts_and_an_optional_if_match(schema):
    operation = schema["paths"]["/api/v1/disputes/{ref}/escalate/"]["post"]
    assert {"409", "412", "422"} <= set(operation["responses"])
    if_match = next(p for p in operation["parameters"] if p["name"] == "If-Match")
    assert if_match.get("required", False) is False
