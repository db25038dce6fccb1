"""Visits schedule the next one: visited_on plus the frequency of the person's category and risk level.

浉河区: "对精神障碍患者、社区矫正人员等，要做到逐人见面，回访排查，防止出现肇事肇祸、再次犯罪等案事件。"
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanling.keypeople.models import KeyPerson, KeyPersonVisit, VisitFrequency
from sanling.keypeople.selectors import overdue_visits
from sanling.keypeople.services import (
    key_person_create,
    key_person_release,
    key_person_update,
    key_person_visit_record,
    visit_frequency_set,
)
from sanling.work.models import Attachment, WorkItem
from sanling.work.selectors import my_work

from .conftest import png_bytes

pytestmark = pytest.mark.django_db


def person(
    personas, *, risk="medium", category="mental_disorder", registered=datetime.date(2024, 1, 2), **extra
):
    return key_person_create(
        actor=None,
        region=personas["jinniu"],
        category=category,
        risk_level=risk,
        name="测试人员",
        registered_on=registered,
        **extra,
    )


def visit(someone, on, **extra):
    return key_person_visit_record(actor=None, person=someone, visited_on=on, **extra)


def test_the_categories_of_the_seeds_and_the_defaults_are_seeded(db):
    from sanling.dictionary.models import Entry

    labels = set(Entry.objects.filter(type="key_person_category").values_list("label", flat=True))
    assert {"精神障碍患者", "社区矫正人员", "刑满释放人员（安置帮教）", "吸毒人员", "重点信访人员"} <= labels
    high = VisitFrequency.objects.get(county=None, category="mental_disorder", risk_level="high")
    assert (high.amount, high.unit) == (7, "days")


def test_a_new_person_is_due_a_frequency_after_registration(personas):
    someone = person(personas, risk="low", registered=datetime.date(2024, 1, 2))
    assert someone.case.kind == "key_visit" and someone.case.due_on == datetime.date(2024, 4, 2)
    assert someone.case.subject == personas["jinniu_village"]  # the village's 村社区 subject


def test_a_monthly_visit_on_january_31_is_due_on_the_last_day_of_february(personas):
    someone = person(personas, risk="medium")
    visit(someone, datetime.date(2024, 1, 31))
    someone.case.refresh_from_db()
    assert someone.case.due_on == datetime.date(2024, 2, 29)  # leap year
    visit(someone, datetime.date(2025, 1, 31))
    someone.case.refresh_from_db()
    assert someone.case.due_on == datetime.date(2025, 2, 28)


def test_a_quarterly_visit_on_november_30_is_due_on_the_last_day_of_february(personas):
    someone = person(personas, risk="low")
    visit(someone, datetime.date(2024, 11, 30))
    someone.case.refresh_from_db()
    assert someone.case.due_on == datetime.date(2025, 2, 28)


def test_a_high_risk_person_is_due_a_week_after_a_visit(personas):
    someone = person(personas, risk="high")
    made = visit(someone, datetime.date(2024, 3, 29))
    assert made.next_due_on == datetime.date(2024, 4, 5)


def test_a_county_frequency_wins_over_the_default(personas):
    visit_frequency_set(
        actor=personas["admin_user"],
        county=personas["county"],
        category="mental_disorder",
        risk_level="medium",
        amount=14,
        unit="days",
    )
    someone = person(personas, risk="medium")
    assert visit(someone, datetime.date(2024, 3, 1)).next_due_on == datetime.date(2024, 3, 15)


def test_a_town_operator_cannot_set_the_frequencies(personas):
    with pytest.raises(PermissionDenied):
        visit_frequency_set(
            actor=personas["town_a"],
            county=personas["county"],
            category="mental_disorder",
            risk_level="high",
            amount=1,
            unit="days",
        )


def test_raising_the_risk_level_reschedules_from_the_last_visit(personas):
    someone = person(personas, risk="low")
    visit(someone, datetime.date(2024, 3, 1))
    changed = key_person_update(
        actor=None,
        person=someone,
        version=someone.version,
        region=someone.region,
        category=someone.category,
        risk_level="high",
        name=someone.name,
    )
    changed.case.refresh_from_db()
    assert changed.case.due_on == datetime.date(2024, 3, 8)


def test_a_missed_visit_is_overdue_work_of_the_responsible_worker(personas):
    someone = person(personas, risk="high", handler=personas["grid_a"])
    assert someone.case in my_work(personas["grid_a"])
    today = timezone.localdate()
    assert someone.case.due_on < today
    assert list(overdue_visits(personas["jinniu"], today)) == [someone]
    assert list(overdue_visits(personas["dongwan"], today)) == []
    visit(someone, today)
    assert list(overdue_visits(personas["jinniu"], today)) == []


def test_a_visit_in_the_future_is_refused_and_nothing_written(personas):
    someone = person(personas)
    with pytest.raises(ValidationError) as refused:
        visit(someone, timezone.localdate() + datetime.timedelta(days=1))
    assert "未来" in str(refused.value.message_dict["visited_on"])
    assert not KeyPersonVisit.objects.exists() and someone.case.timeline.count() == 1


def test_a_visit_before_the_previous_one_is_refused(personas):
    someone = person(personas)
    visit(someone, datetime.date(2024, 3, 10))
    with pytest.raises(ValidationError) as refused:
        visit(someone, datetime.date(2024, 3, 9))
    assert "早于" in str(refused.value.message_dict["visited_on"])
    assert KeyPersonVisit.objects.count() == 1


def test_a_visit_to_a_person_outside_the_users_area_is_refused(personas):
    someone = key_person_create(
        actor=None,
        region=personas["dongwan"],
        category="drug_user",
        risk_level="low",
        name="外镇人员",
        registered_on=datetime.date(2024, 1, 2),
    )
    with pytest.raises(PermissionDenied):
        key_person_visit_record(
            actor=personas["grid_a"], person=someone, visited_on=datetime.date(2024, 2, 1)
        )
    assert not KeyPersonVisit.objects.exists()


def test_a_photo_that_is_not_an_image_is_refused_and_nothing_written(personas, settings, tmp_path):
    settings.ATTACHMENT_DIR = tmp_path
    someone = person(personas)
    pdf = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 not a photo", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        visit(someone, datetime.date(2024, 2, 1), photo=pdf)
    assert "图片" in str(refused.value.message_dict["photo"])
    assert not KeyPersonVisit.objects.exists() and not Attachment.objects.exists()


def test_a_photo_hangs_on_the_persons_case_and_the_visit_on_its_timeline(personas, settings, tmp_path):
    settings.ATTACHMENT_DIR = tmp_path
    someone = person(personas)
    photo = SimpleUploadedFile("王某某.png", png_bytes(), content_type="image/png")
    made = visit(someone, datetime.date(2024, 2, 1), photo=photo)
    attachment = Attachment.objects.get()
    assert attachment.item == someone.case and attachment.content_type == "image/png"
    assert "王" not in attachment.name  # the file's name is ours, not the phone's (it may carry a name)
    entry = someone.case.timeline.get(action="key_visit")
    assert entry.details["visit"] == made.pk and attachment.entry == entry


def test_an_id_number_with_a_wrong_check_digit_is_refused_in_chinese(personas):
    with pytest.raises(ValidationError) as refused:
        person(personas, id_number="110105198001011239")
    message = str(refused.value.message_dict["id_number"])
    assert "身份证" in message and "110105198001011239" not in message
    assert not KeyPerson.objects.exists() and not WorkItem.objects.filter(kind="key_visit").exists()


def test_the_same_id_number_twice_is_refused(personas):
    person(personas, id_number="110105198001011238")
    with pytest.raises(ValidationError) as refused:
        person(personas, id_number="110105198001011238")
    assert "id_number" in refused.value.message_dict
    assert KeyPerson.objects.count() == 1


def test_a_released_person_is_no_longer_due(personas):
    someone = person(personas)
    key_person_release(actor=None, person=someone, on=datetime.date(2024, 3, 1), reason="矫正期满")
    someone.case.refresh_from_db()
    assert someone.case.closed_on == datetime.date(2024, 3, 1)
    assert list(overdue_visits(personas["jinniu"])) == []
    with pytest.raises(ValidationError):
        visit(someone, datetime.date(2024, 3, 2))


def test_the_stored_identity_is_encrypted(personas):
    from django.db import connection

    person(personas, id_number="110105198001011238", phone="13912345678")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, id_number, phone FROM keypeople_keyperson")
        row = cursor.fetchone()
    assert all(value.startswith("A.") for value in row)
    assert "测试人员" not in str(row) and "13912345678" not in str(row)


def test_an_id_number_with_a_city_prefix_is_a_chinese_error_not_a_crash(personas):
    # python-stdnum raises KeyError (not its ValidationError) for 411105, a code it knows without a county
    with pytest.raises(ValidationError) as refused:
        person(personas, id_number="411105197501011231")
    assert "身份证" in str(refused.value.message_dict["id_number"])


def test_the_daily_reminders_tell_the_responsible_worker_of_a_missed_visit(personas):
    from sanling.work.models import Notification
    from sanling.work.reminders import remind

    someone = person(personas, risk="high", handler=personas["grid_a"])
    remind(on=timezone.localdate())
    notice = Notification.objects.get(user=personas["grid_a"], item=someone.case)
    assert notice.kind == "overdue" and "测试人员" not in notice.message  # the title carries the masked name


def test_a_post_without_a_login_can_be_responsible(personas):
    from sanling.grids.services import post_create

    post = post_create(
        region=personas["grid"],
        post_type="grid_member",
        holder_name="李网格",
        started_on=datetime.date(2024, 1, 1),
    )
    someone = person(personas, post=post)
    assert someone.post == post and someone.handler is None and someone.case.handler is None


def test_a_post_of_another_village_is_refused(personas):
    from sanling.grids.services import post_create

    post = post_create(
        region=personas["dongwan"],
        post_type="grid_member",
        holder_name="东湾网格员",
        started_on=datetime.date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        person(personas, post=post)
    assert "post" in refused.value.message_dict and not KeyPerson.objects.exists()
