"""Dispute categories: a list (数据字典) with 其他, checked by the service every writer goes through."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sanling.audit.models import AuditEntry
from sanling.dictionary.models import Entry, EntryType
from sanling.dictionary.selectors import dispute_category_choices
from sanling.dictionary.services import entry_update
from sanling.disputes.models import Dispute
from sanling.disputes.services import dispute_create, dispute_update
from sanling.regions.models import Level
from sanling.regions.services import region_create

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 4, 1)


def test_the_default_list_is_seeded_and_ends_with_other():
    labels = [label for _code, label in dispute_category_choices()]
    assert labels[:2] == ["婚姻家庭", "邻里纠纷"] and labels[-1] == "其他" and len(labels) == 11


def test_a_category_from_the_list_is_accepted(personas):
    dispute = dispute_create(
        subject=personas["jinniu_village"], reported_on=DAY, summary="x", category="邻里纠纷"
    )
    assert dispute.category == "邻里纠纷"


def test_a_category_outside_the_list_is_refused_in_chinese(personas):
    with pytest.raises(ValidationError) as refused:
        dispute_create(subject=personas["jinniu_village"], reported_on=DAY, summary="x", category="随便写的")
    assert "不在" in refused.value.message_dict["category"][0]


def test_a_disabled_category_is_refused_for_a_new_dispute(personas):
    entry = Entry.objects.get(type=EntryType.DISPUTE_CATEGORY, code="交通事故")
    entry_update(entry=entry, label=entry.label, order=entry.order, enabled=False)
    with pytest.raises(ValidationError):
        dispute_create(subject=personas["jinniu_village"], reported_on=DAY, summary="x", category="交通事故")


def test_an_old_free_text_category_stays_valid_until_someone_changes_it(personas):
    dispute = personas["dispute_a"]
    Dispute.objects.filter(pk=dispute.pk).update(category="宅基地")  # written before the list existed
    dispute.refresh_from_db()
    kept = dispute_update(dispute=dispute, version=dispute.version, category="宅基地", status="mediating")
    assert kept.category == "宅基地"
    with pytest.raises(ValidationError):
        dispute_update(dispute=kept, version=kept.version, category="合同纠纷")


def test_the_form_offers_the_list_and_refuses_another_value(client, personas):
    client.force_login(personas["town_a"])
    content = client.get(reverse("disputes:create")).content.decode()
    assert '<select name="category"' in content and '<option value="其他">其他</option>' in content
    response = client.post(
        reverse("disputes:create"),
        {
            "subject_code": "V1",
            "reported_on": "2025-04-01",
            "category": "随便写的",
            "summary": "x",
            "status": "open",
        },
    )
    assert response.status_code == 200 and not Dispute.objects.filter(category="随便写的").exists()


def test_the_api_refuses_a_category_outside_the_list(personas, api_as):
    response = api_as(personas["town_a"]).post(
        "/api/v1/disputes/",
        {"subject": "V1", "reported_on": "2025-04-01", "category": "随便写的", "summary": "x"},
        format="json",
    )
    assert response.status_code == 400 and "category" in response.json()["errors"]


def test_the_admin_adds_and_relabels_an_entry_through_the_audited_service(admin_client):
    response = admin_client.post(
        reverse("admin:dictionary_entry_add"),
        {
            "type": EntryType.DISPUTE_CATEGORY,
            "code": "宅基地",
            "label": "宅基地纠纷",
            "order": 5,
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    entry = Entry.objects.get(code="宅基地")
    assert AuditEntry.objects.filter(object_type="entry", action="create").exists()
    admin_client.post(
        reverse("admin:dictionary_entry_change", args=[entry.pk]), {"label": "宅基地争议", "order": 5}
    )
    entry.refresh_from_db()
    assert (entry.code, entry.label, entry.enabled) == ("宅基地", "宅基地争议", False)
    assert AuditEntry.objects.filter(object_type="entry", action="update").exists()


def test_a_system_administrator_adds_and_disables_a_category_on_its_page(client, duty_holders):
    client.force_login(duty_holders["sysadmin"])
    response = client.post(
        reverse("dictionary:categories"), {"code": "宅基地", "label": "宅基地", "order": 5, "enabled": "on"}
    )
    assert response.status_code == 302
    entry = Entry.objects.get(code="宅基地")
    client.post(reverse("dictionary:category_edit", args=[entry.pk]), {"label": "宅基地纠纷", "order": 5})
    entry.refresh_from_db()
    assert (entry.label, entry.enabled) == ("宅基地纠纷", False)
    assert AuditEntry.objects.filter(object_type="entry", action="update").exists()


def test_a_code_already_in_the_list_is_refused_in_chinese(client, duty_holders):
    client.force_login(duty_holders["sysadmin"])
    response = client.post(
        reverse("dictionary:categories"), {"code": "其他", "label": "其他2", "order": 1, "enabled": "on"}
    )
    assert response.status_code == 200 and "存在" in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["town_a", "dept", "viewer", "grid_a", "admin_user", "secadmin", "auditor"]
)
def test_only_the_system_administrator_may_open_the_category_pages(client, duty_holders, persona):
    client.force_login(duty_holders[persona])
    entry = Entry.objects.get(type="dispute_category", code="其他")
    assert client.get(reverse("dictionary:categories")).status_code == 403
    assert (
        client.post(
            reverse("dictionary:category_edit", args=[entry.pk]), {"label": "x", "order": 1}
        ).status_code
        == 403
    )
    assert Entry.objects.get(type="dispute_category", code="其他").label == "其他"


def test_with_two_counties_only_the_superuser_edits_the_shared_list(client, duty_holders):
    # Found in review: the list is the deployment's, so one county's administrator could relabel or disable
    # the values another county's disputes use.
    region_create(code="411102000000", name="源汇区", level=Level.COUNTY, parent=duty_holders["city"])
    client.force_login(duty_holders["sysadmin"])
    entry = Entry.objects.get(type="dispute_category", code="其他")
    assert client.get(reverse("dictionary:categories")).status_code == 403
    client.post(reverse("dictionary:category_edit", args=[entry.pk]), {"label": "被改了", "order": 1})
    assert Entry.objects.get(type="dispute_category", code="其他").label == "其他"
