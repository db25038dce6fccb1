"""The audit trail reads as what happened: field labels, before → after, object types and verbs in Chinese,
filters kept across pages, notes in Chinese whatever language the actor's browser asked for."""

import datetime

import pytest
from django.utils import translation

from sanling.audit.models import AuditEntry
from sanling.disputes.services import dispute_update
from sanling.events.services import event_create, event_update
from sanling.regions.services import region_move
from sanling.subjects.services import subject_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(personas, client):
    client.force_login(personas["auditor"])
    return client


def test_a_change_is_shown_as_field_labels_with_before_and_after(personas, auditor):
    event = personas["event_a"]
    event_update(event=event, version=None, title="金牛入室盗窃案")
    page = auditor.get("/audit/", {"object_key": event.ref}).content.decode()
    assert "标题：金牛盗窃案 → 金牛入室盗窃案" in page
    assert "{&#x27;" not in page and "{'" not in page  # no Python dicts


def test_choices_are_shown_by_their_chinese_names(personas, auditor):
    dispute = personas["dispute_a"]
    dispute_update(dispute=dispute, version=None, status="mediating")
    page = auditor.get("/audit/", {"object_key": dispute.ref}).content.decode()
    assert "状态：待调解 → 调解中" in page


def test_object_types_are_named_in_chinese(personas, auditor):
    page = auditor.get("/audit/", {"object_key": personas["event_a"].ref}).content.decode()
    assert "事件 " + personas["event_a"].ref in page
    assert ">event " not in page


def test_paging_keeps_the_filters(personas, auditor):
    for day in range(1, 56):
        event_create(
            subject=personas["jinniu_village"],
            type="security_case",
            occurred_on=datetime.date(2025, 5, 1) + datetime.timedelta(days=day % 28),
            title=f"第{day}起",
        )
    first = auditor.get("/audit/", {"object_type": "event", "actor_name": ""}).content.decode()
    assert 'href="?object_type=event&amp;page=2"' in first
    second = auditor.get("/audit/", {"object_type": "event", "page": 2})
    assert all(entry.object_type == "event" for entry in second.context["page"])


def test_verbs_say_what_happened(personas, auditor):
    subject = personas["school"]
    subject_update(
        subject=subject, version=None, region=personas["dongwan"], moved_on=datetime.date(2025, 6, 1)
    )
    dispute_update(dispute=personas["dispute_a"], version=None, status="mediating")
    region_move(region=personas["dongwan"], new_parent=personas["shabei"], moved_on=datetime.date(2025, 7, 1))
    verbs = dict(AuditEntry.objects.filter(action="update").values_list("object_key", "verb"))
    assert verbs[subject.code] == "subject.moved"
    assert verbs[personas["dispute_a"].ref] == "dispute.status_changed"
    assert verbs[personas["dongwan"].code] == "region.moved"
    page = auditor.get("/audit/", {"object_key": subject.code}).content.decode()
    assert "主体迁移" in page


def test_a_plain_edit_has_no_verb(personas):
    event_update(event=personas["event_a"], version=None, title="改名")
    assert AuditEntry.objects.get(object_key=personas["event_a"].ref, action="update").verb == ""


def test_notes_are_stored_in_chinese_whatever_the_browsers_language(personas, client):
    client.force_login(personas["admin_user"])
    with translation.override("zh-hans"):  # the English the request turns on ends with it
        client.get("/subjects/export.xlsx", {"reason": "核对"}, HTTP_ACCEPT_LANGUAGE="en")
    note = AuditEntry.objects.get(action="read_contact").note
    assert note.startswith("导出 ") and note.endswith("个创建主体的 Excel：核对")


def test_a_corrections_note_is_chinese_in_an_english_context(personas):
    with translation.override("en"):
        subject_update(subject=personas["school"], version=None, region=personas["dongwan"], correction=True)
    entry = AuditEntry.objects.get(object_key=personas["school"].code, action="update")
    assert entry.note == "更正"


def _verbs_written() -> set[str]:
    """Every verb the code writes by name: ``auth_event("…")`` and ``verb="…"`` outside the tests."""
    import re
    from pathlib import Path

    import sanling

    written = set()
    for path in Path(sanling.__file__).parent.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        written |= set(re.findall(r'(?:auth_event\(|verb=)"([a-z_]+\.[a-z_.]+|logout)"', path.read_text()))
    return written


def test_every_verb_the_code_writes_reads_in_chinese():
    from sanling.audit.display import verb_label

    with translation.override("zh-hans"):
        untranslated = {verb for verb in _verbs_written() if verb_label(verb) == verb}
    assert not untranslated
