"""The roster page and the post forms, as each role sees them."""

import datetime

import pytest
from django.urls import reverse

from sanling.grids.models import Post
from sanling.grids.services import post_create

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 1)


@pytest.fixture
def posted(personas):
    return post_create(
        region=personas["grid"],
        post_type="grid_leader",
        holder_name="王网格",
        phone="13812345678",
        started_on=DAY,
    )


def test_the_roster_shows_holders_with_masked_phones_and_flags_empty_posts(client, personas, posted):
    client.force_login(personas["town_a"])
    page = client.get(reverse("grids:list")).content.decode()
    assert "王网格" in page and "138****5678" in page and "13812345678" not in page
    assert 'class="overdue empty-post"' in page  # 网格员 is missing
    assert "网格员" in page


def test_the_roster_of_another_town_is_not_offered(client, personas, posted):
    client.force_login(personas["town_a"])
    page = client.get(reverse("grids:list"), {"town": personas["shangqiao"].code}).content.decode()
    assert "商桥" not in page and "东湾" not in page


def test_a_department_user_has_no_roster(client, personas):
    client.force_login(personas["dept"])
    assert client.get(reverse("grids:list")).status_code == 403


def test_the_roster_takes_few_queries(client, personas, posted, django_assert_max_num_queries):
    client.force_login(personas["town_a"])
    with django_assert_max_num_queries(25):
        client.get(reverse("grids:list"))


def test_a_town_operator_adds_a_post_at_a_grid(client, personas):
    client.force_login(personas["town_a"])
    response = client.post(
        reverse("grids:post_add"),
        {
            "region": personas["grid"].code,
            "post_type": "grid_member",
            "holder_name": "李网格",
            "phone": "13900001111",
            "started_on": "2025-03-01",
        },
    )
    assert response.status_code == 302
    assert Post.objects.get().holder_name == "李网格"


def test_a_failing_form_keeps_what_was_typed(client, personas):
    client.force_login(personas["town_a"])
    response = client.post(
        reverse("grids:post_add"),
        {
            "region": personas["grid"].code,
            "post_type": "grid_member",
            "holder_name": "李网格",
            "phone": "123",
            "started_on": "2025-03-01",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "李网格" in page and 'value="123"' in page
    assert not Post.objects.exists()


def test_a_post_in_another_town_is_refused_with_a_chinese_error(client, personas):
    client.force_login(personas["town_a"])
    response = client.post(
        reverse("grids:post_add"),
        {
            "region": personas["dongwan"].code,
            "post_type": "grid_member",
            "holder_name": "李网格",
            "started_on": "2025-03-01",
        },
    )
    assert response.status_code == 200
    assert not Post.objects.exists()


def test_editing_keeps_a_masked_phone_and_ending_sets_the_date(client, personas, posted):
    client.force_login(personas["town_a"])
    form = client.get(reverse("grids:post_edit", args=[posted.pk])).content.decode()
    assert "138****5678" in form and "13812345678" not in form
    response = client.post(
        reverse("grids:post_edit", args=[posted.pk]),
        {
            "region": personas["grid"].code,
            "post_type": "grid_leader",
            "holder_name": "王网格长",
            "phone": "138****5678",
            "started_on": "2025-03-01",
            "version": "1",
        },
    )
    assert response.status_code == 302
    posted.refresh_from_db()
    assert (posted.holder_name, posted.phone) == ("王网格长", "13812345678")
    response = client.post(
        reverse("grids:post_end", args=[posted.pk]), {"ended_on": "2025-06-30", "version": "2"}
    )
    assert response.status_code == 302
    posted.refresh_from_db()
    assert posted.ended_on == datetime.date(2025, 6, 30)


def test_another_towns_post_is_not_found(client, personas):
    post = post_create(
        region=personas["dongwan"], post_type="grid_leader", holder_name="东湾", started_on=DAY
    )
    client.force_login(personas["town_a"])
    assert client.get(reverse("grids:post_edit", args=[post.pk])).status_code == 404
    assert (
        client.post(reverse("grids:post_end", args=[post.pk]), {"ended_on": "2025-06-30"}).status_code == 404
    )


@pytest.mark.django_db
def test_a_department_user_cannot_open_the_new_post_form(client, personas):
    """Review of issue 15: a post is placed in a region; a department's scope is its units, so the empty
    form it was shown could never be saved."""
    client.force_login(personas["dept"])
    assert client.get(reverse("grids:post_add")).status_code == 403
    assert reverse("grids:post_add") not in client.get(reverse("grids:list")).content.decode()
