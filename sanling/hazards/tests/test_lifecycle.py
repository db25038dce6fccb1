"""The hazard lifecycle: 整改中 → 申请复查 → 复查通过 (closed) or 复查不通过 (back to 整改), as a table.

The seeds' 太钢 asks that a hazard found be rectified at once ("发现隐患立即整改"); 郾城's 四查 "督促…整改措施有效
落实，从根本上消除事故隐患": so a hazard is closed only by a 复查 done by someone else than who fixed it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from sanling.hazards.models import Hazard, HazardStatus
from sanling.hazards.services import (
    MOVES,
    hazard_recheck,
    hazard_rectify,
    hazard_report,
    hazard_request_recheck,
)
from sanling.work.models import Attachment, TimelineEntry
from sanling.work.transitions import TransitionRefused

from .helpers import as_user, photo

S = HazardStatus


def _put_in(world, status):
    """The world's hazard brought to ``status`` through the services (by grid_a, re-checked by town_a)."""
    hazard = world["hazard"]
    day = world["found"] + datetime.timedelta(days=1)
    if status in (S.RECHECK_REQUESTED, S.CLOSED):
        with as_user(world["grid_a"]):
            hazard = hazard_request_recheck(hazard=hazard, on=day, photos=[photo()])
    if status == S.CLOSED:
        with as_user(world["town_a"]):
            hazard = hazard_recheck(hazard=hazard, on=day, passed=True, photos=[photo()])
    return hazard


def _do(action, hazard, on):
    if action == "rectify":
        return hazard_rectify(hazard=hazard, on=on, note="清理杂物", photos=[photo()])
    if action == "request_recheck":
        return hazard_request_recheck(hazard=hazard, on=on, photos=[photo()])
    if action == "recheck_pass":
        return hazard_recheck(hazard=hazard, on=on, passed=True, photos=[photo()])
    return hazard_recheck(hazard=hazard, on=on, passed=False, note="仍有堆放")


CASES = [(start, action) for start in S.values for action in MOVES]


@pytest.mark.parametrize(("start", "action"), CASES)
@pytest.mark.django_db
def test_every_move_from_every_status_follows_the_table(hazard_world, start, action):
    hazard = _put_in(hazard_world, start)
    on = hazard_world["found"] + datetime.timedelta(days=2)
    before_entries = TimelineEntry.objects.count()
    allowed_from, to = MOVES[action]
    actor = hazard_world["admin_user"]  # neither the rectifier (grid_a) nor earlier re-checker
    with as_user(actor):
        if start == allowed_from:
            moved = _do(action, hazard, on)
            assert moved.status == to
            assert moved.case.step == to
            assert (moved.case.closed_on == on) == (to == S.CLOSED)
            assert TimelineEntry.objects.count() == before_entries + 1
        else:
            with pytest.raises(TransitionRefused):
                _do(action, hazard, on)
            assert Hazard.objects.get(pk=hazard.pk).status == start
            assert TimelineEntry.objects.count() == before_entries


@pytest.mark.django_db
def test_a_recheck_by_whoever_asked_for_it_is_refused_and_writes_nothing(hazard_world):
    hazard = _put_in(hazard_world, S.RECHECK_REQUESTED)
    entries = TimelineEntry.objects.count()
    with as_user(hazard_world["grid_a"]), pytest.raises(ValidationError) as refused:
        hazard_recheck(
            hazard=hazard,
            on=hazard_world["found"] + datetime.timedelta(days=2),
            passed=True,
            photos=[photo()],
        )
    assert "复查" in str(refused.value) or "re-check" in str(refused.value)
    assert Hazard.objects.get(pk=hazard.pk).status == S.RECHECK_REQUESTED
    assert TimelineEntry.objects.count() == entries


@pytest.mark.django_db
def test_a_step_dated_before_the_inspection_is_refused(hazard_world):
    with as_user(hazard_world["grid_a"]), pytest.raises(ValidationError):
        hazard_request_recheck(
            hazard=hazard_world["hazard"],
            on=hazard_world["found"] - datetime.timedelta(days=1),
            photos=[photo()],
        )
    assert Hazard.objects.get(pk=hazard_world["hazard"].pk).status == S.RECTIFYING


@pytest.mark.django_db
def test_a_step_in_the_future_is_refused(hazard_world):
    with as_user(hazard_world["grid_a"]), pytest.raises(ValidationError):
        hazard_request_recheck(
            hazard=hazard_world["hazard"],
            on=hazard_world["today"] + datetime.timedelta(days=1),
            photos=[photo()],
        )


@pytest.mark.django_db
def test_a_step_before_the_previous_step_is_refused(hazard_world):
    day = hazard_world["found"] + datetime.timedelta(days=5)
    with as_user(hazard_world["grid_a"]):
        hazard = hazard_rectify(hazard=hazard_world["hazard"], on=day, note="清理一半")
        with pytest.raises(ValidationError):
            hazard_request_recheck(hazard=hazard, on=day - datetime.timedelta(days=1), photos=[photo()])


@pytest.mark.django_db
def test_a_photo_that_is_not_an_image_is_refused_and_nothing_is_written(hazard_world):
    entries = TimelineEntry.objects.count()
    with as_user(hazard_world["grid_a"]), pytest.raises(ValidationError) as refused:
        hazard_request_recheck(
            hazard=hazard_world["hazard"],
            on=hazard_world["found"] + datetime.timedelta(days=1),
            photos=[photo("fix.jpg", b"MZ\x90\x00 not an image at all")],
        )
    assert "file" in refused.value.message_dict
    assert Hazard.objects.get(pk=hazard_world["hazard"].pk).status == S.RECTIFYING
    assert TimelineEntry.objects.count() == entries
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_asking_for_a_recheck_needs_a_photo_of_the_fix(hazard_world):
    with as_user(hazard_world["grid_a"]), pytest.raises(ValidationError) as refused:
        hazard_request_recheck(hazard=hazard_world["hazard"], on=hazard_world["today"], photos=[])
    assert "photos" in refused.value.message_dict


@pytest.mark.django_db
def test_a_failed_recheck_keeps_the_deadline_or_extends_it_with_a_reason(hazard_world):
    hazard = _put_in(hazard_world, S.RECHECK_REQUESTED)
    due = hazard.case.due_on
    on = hazard_world["found"] + datetime.timedelta(days=2)
    with as_user(hazard_world["town_a"]):
        with pytest.raises(ValidationError):
            hazard_recheck(hazard=hazard, on=on, passed=False, note="")
        kept = hazard_recheck(hazard=hazard, on=on, passed=False, note="仍有堆放")
    assert kept.status == S.RECTIFYING and kept.case.due_on == due
    with as_user(hazard_world["grid_a"]):
        hazard = hazard_request_recheck(hazard=kept, on=on, photos=[photo()])
    later = due + datetime.timedelta(days=15)
    with as_user(hazard_world["town_a"]):
        extended = hazard_recheck(hazard=hazard, on=on, passed=False, note="需更换设备，延期", due_on=later)
    assert extended.case.due_on == later


@pytest.mark.django_db
def test_a_reported_hazard_is_due_by_its_level(hazard_world):
    major = hazard_report(
        subject=hazard_world["school"],
        found_on=hazard_world["found"],
        category="安全生产",
        level="major",
        description="配电房漏水",
    )
    assert major.case.due_on == hazard_world["found"] + datetime.timedelta(days=90)
    assert hazard_world["hazard"].case.due_on == hazard_world["found"] + datetime.timedelta(days=30)
    assert major.case.kind == "hazard" and major.status == S.RECTIFYING


@pytest.mark.django_db
def test_a_county_sets_its_own_days_per_level(hazard_world):
    from sanling.hazards.services import deadline_rule_save

    deadline_rule_save(level="general", days=15)
    quick = hazard_report(
        subject=hazard_world["school"],
        found_on=hazard_world["today"],
        category="消防安全",
        level="general",
        description="安全出口指示灯不亮",
    )
    assert quick.case.due_on == hazard_world["today"] + datetime.timedelta(days=15)


@pytest.mark.django_db
def test_a_hazard_found_before_its_inspection_is_refused_and_nothing_is_written(hazard_world):
    from sanling.work.models import WorkItem

    items = WorkItem.objects.count()
    with pytest.raises(ValidationError) as refused:
        hazard_report(
            subject=hazard_world["school"],
            found_on=hazard_world["found"] - datetime.timedelta(days=1),
            category="消防安全",
            level="general",
            description="灭火器过期",
            inspection=hazard_world["inspection"],
        )
    assert "found_on" in refused.value.message_dict
    assert WorkItem.objects.count() == items and Hazard.objects.count() == 1


@pytest.mark.django_db
def test_a_hazard_with_a_photo_that_is_not_an_image_is_not_reported(hazard_world):
    with pytest.raises(ValidationError):
        hazard_report(
            subject=hazard_world["school"],
            found_on=hazard_world["today"],
            category="消防安全",
            level="general",
            description="配电箱无门",
            photos=[photo("现场.jpg", b"GIF89a not taken")],
        )
    assert Hazard.objects.count() == 1 and not Attachment.objects.exists()


@pytest.mark.django_db
def test_a_passed_recheck_needs_a_photo(hazard_world):
    """The issue: "复查通过 (closed, with photos)" — a re-check that closes the hazard shows the fixed place."""
    hazard = hazard_world["hazard"]
    with as_user(hazard_world["grid_a"]):
        hazard = hazard_request_recheck(hazard=hazard, on=hazard_world["today"], photos=[photo()])
    with as_user(hazard_world["town_a"]), pytest.raises(ValidationError) as refused:
        hazard_recheck(hazard=hazard, on=hazard_world["today"], passed=True)
    assert "照片" in refused.value.message_dict["photos"][0]
    assert Hazard.objects.get(pk=hazard.pk).status == HazardStatus.RECHECK_REQUESTED
