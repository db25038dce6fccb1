"""/api/v1/posts/: scoped, masked, versioned."""

import datetime

import pytest

from sanling.grids.models import Post
from sanling.grids.services import post_create

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 1)


@pytest.fixture
def posts(personas):
    return {
        "a": post_create(
            region=personas["grid"],
            post_type="grid_leader",
            holder_name="王网格",
            phone="13812345678",
            started_on=DAY,
        ),
        "b": post_create(
            region=personas["dongwan"], post_type="village_police", holder_name="东湾民警", started_on=DAY
        ),
    }


def test_the_list_holds_the_callers_area_only_with_phones_masked(api_as, personas, posts):
    answer = api_as(personas["town_a"]).get("/api/v1/posts/").json()
    rows = answer["results"] if isinstance(answer, dict) else answer
    assert [row["holder_name"] for row in rows] == ["王网格"]
    assert rows[0]["phone"] == "138****5678"


def test_the_list_filters_by_region_subtree(api_as, personas, posts):
    answer = (
        api_as(personas["admin_user"]).get("/api/v1/posts/", {"region": personas["shangqiao"].code}).json()
    )
    rows = answer["results"] if isinstance(answer, dict) else answer
    assert [row["holder_name"] for row in rows] == ["东湾民警"]


def test_a_post_is_created_and_patched_with_its_version(api_as, personas):
    client = api_as(personas["town_a"])
    created = client.post(
        "/api/v1/posts/",
        {
            "region": personas["grid"].code,
            "post_type": "grid_member",
            "holder_name": "李",
            "started_on": "2025-03-01",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    stale = client.patch(f"/api/v1/posts/{pk}/", {"holder_name": "李四", "version": 9}, format="json")
    assert stale.status_code == 409
    done = client.patch(f"/api/v1/posts/{pk}/", {"holder_name": "李四", "version": 1}, format="json")
    assert done.status_code == 200 and Post.objects.get(pk=pk).holder_name == "李四"


def test_a_post_outside_the_area_is_refused_in_chinese(api_as, personas):
    answer = api_as(personas["town_a"]).post(
        "/api/v1/posts/",
        {
            "region": personas["dongwan"].code,
            "post_type": "grid_member",
            "holder_name": "李",
            "started_on": "2025-03-01",
        },
        format="json",
    )
    assert answer.status_code == 400
    assert not Post.objects.exists()


def test_end_sets_the_date(api_as, personas, posts):
    answer = api_as(personas["town_a"]).post(
        f"/api/v1/posts/{posts['a'].pk}/end/", {"ended_on": "2025-04-01", "version": 1}, format="json"
    )
    assert answer.status_code == 200
    assert answer.json()["ended_on"] == "2025-04-01"


def test_an_end_before_the_start_is_refused(api_as, personas, posts):
    answer = api_as(personas["town_a"]).post(
        f"/api/v1/posts/{posts['a'].pk}/end/", {"ended_on": "2025-01-01", "version": 1}, format="json"
    )
    assert answer.status_code == 400


def test_unmask_needs_a_role_that_may_and_a_reason(api_as, personas, posts):
    url = f"/api/v1/posts/{posts['a'].pk}/unmask/"
    assert (
        api_as(personas["town_a"]).post(url, {"reason": "联系网格长"}, format="json").json()["phone"]
        == "13812345678"
    )
    assert api_as(personas["viewer"]).post(url, {"reason": "联系网格长"}, format="json").status_code == 403


def test_another_towns_post_is_not_found(api_as, personas, posts):
    assert api_as(personas["town_a"]).get(f"/api/v1/posts/{posts['b'].pk}/").status_code == 404
