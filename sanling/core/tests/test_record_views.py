"""The shared report/edit/delete screens: where a form may send the user next, and edits that conflict."""

import pytest
from django.urls import reverse

from sanling.disputes.models import Dispute
from sanling.disputes.services import dispute_update
from sanling.events.models import Event
from sanling.events.services import event_update

pytestmark = pytest.mark.django_db


def event_form(event, **changes):
    form = {
        "subject_code": "V1",
        "type": "criminal_case",
        "occurred_on": "2025-03-03",
        "title": "我的修改",
        "status": "closed",
        "deaths": 0,
        "injuries": 0,
        "version": event.version,
    }
    return {**form, **changes}


@pytest.mark.parametrize("target", ["https://evil.com/", "//evil.com/x", "javascript:alert(1)"])
def test_a_delete_never_sends_the_user_to_another_site(client, personas, target):
    event = personas["event_a"]
    event_update(event=event, version=event.version, title="别人先改了")  # the delete's version is stale
    client.force_login(personas["town_a"])
    response = client.post(reverse("events:delete", kwargs={"pk": event.pk}), {"version": 1, "next": target})
    assert response.status_code == 302
    assert "evil.com" not in response["Location"] and "javascript" not in response["Location"]
    assert response["Location"].startswith("/")


def test_a_delete_follows_a_relative_next_on_the_same_site(client, personas):
    event = personas["event_a"]
    event_update(event=event, version=event.version, title="别人先改了")
    client.force_login(personas["town_a"])
    response = client.post(
        reverse("events:delete", kwargs={"pk": event.pk}), {"version": 1, "next": "/events/?type=petition"}
    )
    assert response["Location"] == "/events/?type=petition"


def test_after_a_conflict_the_form_shows_their_values_beside_the_users_input(client, personas):
    event = personas["event_a"]
    client.force_login(personas["town_a"])
    event_update(event=event, version=event.version, title="别人先改了")
    content = client.post(reverse("events:edit", kwargs={"pk": event.pk}), event_form(event)).content.decode()
    assert 'id="conflict-changes"' in content
    row = content.split('data-conflict-field="title"')[1].split("</tr>")[0]
    assert "别人先改了" in row and "我的修改" in row
    status_row = content.split('data-conflict-field="status"')[1].split("</tr>")[0]
    assert "已登记" in status_row and "已办结" in status_row  # choices in words, not codes
    assert 'data-conflict-field="type"' not in content  # unchanged fields are not listed


def test_plain_save_after_a_conflict_still_refuses_to_overwrite(client, personas):
    event = personas["event_a"]
    client.force_login(personas["town_a"])
    event_update(event=event, version=event.version, title="别人先改了")
    client.post(reverse("events:edit", kwargs={"pk": event.pk}), event_form(event, version=1))
    client.post(reverse("events:edit", kwargs={"pk": event.pk}), event_form(event, version=1))
    assert Event.objects.get(pk=event.pk).title == "别人先改了"


def test_save_over_it_after_a_conflict_saves_the_users_input(client, personas):
    event = personas["event_a"]
    client.force_login(personas["town_a"])
    event_update(event=event, version=event.version, title="别人先改了")
    content = client.post(reverse("events:edit", kwargs={"pk": event.pk}), event_form(event, version=1))
    assert 'name="overwrite_version" value="2"' in content.content.decode()
    response = client.post(
        reverse("events:edit", kwargs={"pk": event.pk}), event_form(event, version=1, overwrite_version=2)
    )
    assert response.status_code == 302
    saved = Event.objects.get(pk=event.pk)
    assert (saved.title, saved.status, saved.version) == ("我的修改", "closed", 3)


def test_save_over_it_conflicts_again_if_a_third_edit_came_in_between(client, personas):
    event = personas["event_a"]
    client.force_login(personas["town_a"])
    event_update(event=event, version=1, title="别人先改了")
    event_update(event=Event.objects.get(pk=event.pk), version=2, title="又有人改了")
    response = client.post(
        reverse("events:edit", kwargs={"pk": event.pk}), event_form(event, version=1, overwrite_version=2)
    )
    content = response.content.decode()
    assert response.status_code == 200 and "又有人改了" in content
    assert 'name="overwrite_version" value="3"' in content
    assert Event.objects.get(pk=event.pk).title == "又有人改了"


def test_a_dispute_edit_conflict_can_be_saved_over_deliberately(client, personas):
    dispute = personas["dispute_a"]
    client.force_login(personas["town_a"])
    dispute_update(dispute=dispute, version=1, summary="别人的摘要")
    form = {
        "subject_code": "V1",
        "reported_on": "2025-03-03",
        "summary": "我的摘要",
        "status": "mediating",
        "version": 1,
    }
    content = client.post(reverse("disputes:edit", kwargs={"pk": dispute.pk}), form).content.decode()
    row = content.split('data-conflict-field="summary"')[1].split("</tr>")[0]
    assert "别人的摘要" in row and "我的摘要" in row
    client.post(reverse("disputes:edit", kwargs={"pk": dispute.pk}), {**form, "overwrite_version": 2})
    assert Dispute.objects.get(pk=dispute.pk).summary == "我的摘要"


def test_an_edit_posted_without_its_version_is_a_conflict_not_an_overwrite(client, personas):
    # Found in review: the hidden version left out (an old page, a hand-made request) saved over the other
    # editor's change; the API answers 428 for the same.
    event = personas["event_a"]
    client.force_login(personas["town_a"])
    event_update(event=event, version=event.version, title="别人先改了")
    form = event_form(event)
    del form["version"]
    content = client.post(reverse("events:edit", kwargs={"pk": event.pk}), form).content.decode()
    assert 'id="conflict-changes"' in content
    assert Event.objects.get(pk=event.pk).title == "别人先改了"


def test_a_delete_posted_without_its_version_deletes_nothing(client, personas):
    event = personas["event_a"]
    client.force_login(personas["town_a"])
    client.post(reverse("events:delete", kwargs={"pk": event.pk}))
    assert Event.objects.filter(pk=event.pk).exists()
