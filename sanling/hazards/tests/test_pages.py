"""The hazard pages: the list with its filters (overdue in red), the inspection form whose failed item opens
a hazard, and the case page whose moves keep what was typed on an error."""

import datetime

import pytest
from django.urls import reverse

from sanling.hazards.models import Hazard, HazardStatus, Inspection
from sanling.work.models import Attachment

from .helpers import PNG, as_user, photo


@pytest.fixture
def town_a_client(client, hazard_world):
    client.force_login(hazard_world["town_a"])
    return client


@pytest.mark.django_db
def test_the_list_shows_an_overdue_hazard_in_red(town_a_client, hazard_world):
    page = town_a_client.get(reverse("hazards:list"), {"overdue": "true"})
    assert page.status_code == 200
    text = page.content.decode()
    assert hazard_world["hazard"].ref in text
    assert 'class="overdue"' in text and "is-overdue" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({"status": "open"}, True),
        ({"status": "closed"}, False),
        ({"level": "major"}, False),
        ({"level": "general"}, True),
        ({"category": "消防安全"}, True),
        ({"category": "防汛"}, False),
        ({"region": "411103001000"}, True),
        ({"overdue": "false"}, False),
    ],
)
def test_the_list_filters(town_a_client, hazard_world, query, shown):
    page = town_a_client.get(reverse("hazards:list"), query)
    assert page.status_code == 200
    assert (hazard_world["hazard"].ref in page.content.decode()) is shown


@pytest.mark.django_db
def test_a_region_outside_the_users_area_is_a_filter_error(town_a_client):
    page = town_a_client.get(reverse("hazards:list"), {"region": "411103100000"})
    assert page.status_code == 400


@pytest.mark.django_db
def test_an_inspection_with_a_failed_item_opens_a_hazard_in_the_same_form(town_a_client, hazard_world):
    from sanling.hazards.models import ChecklistItem

    items = list(ChecklistItem.objects.filter(inspection_type="消防").order_by("order"))
    url = reverse("hazards:inspection_create") + "?type=消防"
    assert town_a_client.get(url).status_code == 200
    data = {
        "inspection_type": "消防",
        "subject_code": "U1",
        "inspected_on": hazard_world["today"].isoformat(),
        "by_kind": "town",
        f"item_{items[0].pk}_failed": "on",
        f"item_{items[0].pk}_hazard": "on",
        f"item_{items[0].pk}_category": "消防安全",
        f"item_{items[0].pk}_level": "major",
        f"item_{items[0].pk}_description": "楼道堆放电动车",
    }
    answer = town_a_client.post(url, data)
    assert answer.status_code == 302
    inspection = Inspection.objects.exclude(pk=hazard_world["inspection"].pk).get()
    assert [result.passed for result in inspection.results.order_by("pk")] == [False] + [True] * (
        len(items) - 1
    )
    hazard = inspection.hazards.get()
    assert hazard.level == "major" and "楼道堆放电动车" in hazard.description
    assert answer["Location"] == reverse("hazards:case", kwargs={"ref": hazard.ref})


@pytest.mark.django_db
def test_an_inspection_that_fails_validation_keeps_what_was_typed(town_a_client, hazard_world):
    from sanling.hazards.models import ChecklistItem

    item = ChecklistItem.objects.filter(inspection_type="消防").order_by("order").first()
    url = reverse("hazards:inspection_create") + "?type=消防"
    answer = town_a_client.post(
        url,
        {
            "inspection_type": "消防",
            "subject_code": "U1",
            "inspected_on": (hazard_world["today"] + datetime.timedelta(days=3)).isoformat(),
            "by_kind": "town",
            f"item_{item.pk}_failed": "on",
            f"item_{item.pk}_hazard": "on",
            f"item_{item.pk}_description": "灭火器过期",
        },
    )
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "灭火器过期" in text
    assert Inspection.objects.count() == 1 and Hazard.objects.count() == 1


@pytest.mark.django_db
def test_the_case_page_offers_the_moves_with_the_camera(town_a_client, hazard_world):
    page = town_a_client.get(reverse("hazards:case", kwargs={"ref": hazard_world["hazard"].ref}))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'capture="environment"' in text
    assert "move-request_recheck" in text and "move-recheck" not in text


@pytest.mark.django_db
def test_asking_for_a_recheck_with_a_photo_on_the_page(client, hazard_world):
    client.force_login(hazard_world["grid_a"])
    hazard = hazard_world["hazard"]
    answer = client.post(
        reverse("hazards:request_recheck", kwargs={"ref": hazard.ref}),
        {
            "on": hazard_world["today"].isoformat(),
            "note": "已清理",
            "version": hazard.version,
            "photo": photo(),
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.RECHECK_REQUESTED
    assert Attachment.objects.filter(item=hazard.case).count() == 1


@pytest.mark.django_db
def test_a_photo_that_is_not_an_image_keeps_the_note_and_writes_nothing(client, hazard_world):
    client.force_login(hazard_world["grid_a"])
    hazard = hazard_world["hazard"]
    answer = client.post(
        reverse("hazards:request_recheck", kwargs={"ref": hazard.ref}),
        {
            "on": hazard_world["today"].isoformat(),
            "note": "已清理楼道",
            "version": hazard.version,
            "photo": photo("fix.jpg", b"<html>not a photo</html>"),
        },
    )
    assert answer.status_code == 400
    assert "已清理楼道" in answer.content.decode()
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.RECTIFYING
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_the_rectifier_cannot_recheck_on_the_page(client, hazard_world):
    hazard = hazard_world["hazard"]
    with as_user(hazard_world["grid_a"]):
        from sanling.hazards.services import hazard_request_recheck

        hazard = hazard_request_recheck(hazard=hazard, on=hazard_world["today"], photos=[photo()])
    client.force_login(hazard_world["grid_a"])
    answer = client.post(
        reverse("hazards:recheck", kwargs={"ref": hazard.ref}),
        {"on": hazard_world["today"].isoformat(), "passed": "yes", "version": hazard.version},
    )
    assert answer.status_code == 400
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.RECHECK_REQUESTED
    assert PNG


@pytest.mark.django_db
def test_an_inspection_takes_a_photo_of_each_hazard_it_opens(town_a_client, hazard_world):
    """Review of issue 15: the 上报隐患 form had no photo; each hazard opened takes one from the camera."""
    from sanling.hazards.models import ChecklistItem

    item = ChecklistItem.objects.filter(inspection_type="消防").order_by("order").first()
    url = reverse("hazards:inspection_create") + "?type=消防"
    page = town_a_client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page and f'name="item_{item.pk}_photo"' in page
    assert 'capture="environment"' in page
    answer = town_a_client.post(
        url,
        {
            "inspection_type": "消防",
            "subject_code": "U1",
            "inspected_on": hazard_world["today"].isoformat(),
            "by_kind": "town",
            f"item_{item.pk}_failed": "on",
            f"item_{item.pk}_hazard": "on",
            f"item_{item.pk}_category": "消防安全",
            f"item_{item.pk}_level": "general",
            f"item_{item.pk}_description": "灭火器过期",
            f"item_{item.pk}_photo": photo("found.png"),
        },
    )
    assert answer.status_code == 302
    hazard = Inspection.objects.exclude(pk=hazard_world["inspection"].pk).get().hazards.get()
    assert Attachment.objects.filter(item=hazard.case).count() == 1


@pytest.mark.django_db
def test_a_passed_recheck_without_a_photo_is_refused_on_the_page(client, hazard_world):
    """复查通过 (closed, with photos)."""
    from sanling.hazards.services import hazard_request_recheck

    with as_user(hazard_world["grid_a"]):
        hazard = hazard_request_recheck(
            hazard=hazard_world["hazard"], on=hazard_world["today"], photos=[photo()]
        )
    client.force_login(hazard_world["town_a"])
    answer = client.post(
        reverse("hazards:recheck", kwargs={"ref": hazard.ref}),
        {"on": hazard_world["today"].isoformat(), "passed": "yes", "version": hazard.version},
    )
    assert answer.status_code == 400
    assert "照片" in answer.content.decode()
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.RECHECK_REQUESTED
