import io

import docx
import pytest
from django.urls import reverse

from sanling.reviews.models import ItemKind, MonthlyReview, ReviewItem
from sanling.reviews.services import review_create

from .conftest import APRIL, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(review_world):
    return review_create(region=review_world["county"], month=APRIL, today=TODAY)


def test_the_county_administrator_holds_a_review_from_the_list(client, review_world):
    client.force_login(review_world["admin_user"])
    response = client.post(reverse("reviews:list"), {"region": review_world["county"].code, "month": APRIL})
    review = MonthlyReview.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reviews:detail", args=[review.pk])
    assert review.created_by == review_world["admin_user"]


def test_a_bad_month_is_answered_on_the_list_and_nothing_is_written(client, review_world):
    client.force_login(review_world["admin_user"])
    response = client.post(reverse("reviews:list"), {"region": review_world["county"].code, "month": "四月"})
    assert response.status_code == 400
    assert 'id="review-error"' in response.content.decode()
    assert not MonthlyReview.objects.exists()


def test_the_review_page_shows_the_ranking_notes_and_export_links(client, review_world, review):
    client.force_login(review_world["admin_user"])
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert page.index("沙北街道") < page.index("商桥镇")
    assert 'name="note"' in page
    for fmt in ("docx", "pdf"):
        assert reverse("reviews:export", args=[review.pk, fmt]) in page


def test_a_note_is_saved_from_the_page_and_a_stale_one_is_refused(client, review_world, review):
    client.force_login(review_world["admin_user"])
    item = review.items.get(kind=ItemKind.REGION, code=review_world["shangqiao"].code)
    url = reverse("reviews:note", args=[review.pk, item.pk])
    client.post(url, {"note": "积案清零", "version": item.version})
    client.post(url, {"note": "覆盖", "version": item.version})  # the same, now stale, version
    assert ReviewItem.objects.get(pk=item.pk).note == "积案清零"


def test_a_final_review_shows_no_note_fields(client, review_world, review):
    client.force_login(review_world["admin_user"])
    client.post(reverse("reviews:finalise", args=[review.pk]))
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert 'name="note"' not in page


def test_the_word_export_is_downloaded(client, review_world, review):
    client.force_login(review_world["admin_user"])
    response = client.get(reverse("reviews:export", args=[review.pk, "docx"]))
    assert response.status_code == 200
    text = [
        [cell.text for cell in row.cells]
        for row in docx.Document(io.BytesIO(response.content)).tables[0].rows
    ]
    assert [row[1] for row in text[1:]] == ["沙北街道", "商桥镇"]


def test_another_towns_operator_and_a_department_neither_see_nor_export_the_county_review(
    client, review_world, review
):
    for outsider in ("town_a", "dept"):
        client.force_login(review_world[outsider])
        assert client.get(reverse("reviews:detail", args=[review.pk])).status_code == 404
        assert client.get(reverse("reviews:export", args=[review.pk, "pdf"])).status_code == 404
        assert "郾城区" not in client.get(reverse("reviews:list")).content.decode().split("<main", 1)[-1]


def test_a_viewer_reads_but_cannot_note(client, review_world, review):
    client.force_login(review_world["viewer"])
    assert client.get(reverse("reviews:detail", args=[review.pk])).status_code == 200
    item = review.items.first()
    response = client.post(reverse("reviews:note", args=[review.pk, item.pk]), {"note": "x", "version": 1})
    assert response.status_code == 403


def test_the_api_lists_creates_notes_and_finalises(api_as, review_world):
    api = api_as(review_world["admin_user"])
    created = api.post(
        "/api/v1/reviews/", {"region": review_world["county"].code, "month": APRIL}, format="json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    towns = [item for item in body["items"] if item["kind"] == "region"]
    assert [(item["name"], item["rank"]) for item in towns] == [("沙北街道", 1), ("商桥镇", 2)]
    item = towns[1]
    noted = api.post(
        f"/api/v1/reviews/{body['id']}/note/",
        {"item": item["id"], "note": "积案清零", "version": item["version"]},
        format="json",
    )
    assert noted.status_code == 200 and noted.json()["note"] == "积案清零"
    stale = api.post(
        f"/api/v1/reviews/{body['id']}/note/",
        {"item": item["id"], "note": "覆盖", "version": item["version"]},
        format="json",
    )
    assert stale.status_code == 409
    assert api.post(f"/api/v1/reviews/{body['id']}/finalise/").json()["status"] == "final"
    again = api.post(f"/api/v1/reviews/{body['id']}/refresh/")
    assert again.status_code == 400
    listed = api.get("/api/v1/reviews/").json()["results"]
    assert [row["month"] for row in listed] == [APRIL]


def test_the_api_refuses_a_review_of_another_town(api_as, review_world):
    response = api_as(review_world["town_a"]).post(
        "/api/v1/reviews/", {"region": review_world["shangqiao"].code, "month": APRIL}, format="json"
    )
    assert response.status_code == 400
    assert not MonthlyReview.objects.exists()
