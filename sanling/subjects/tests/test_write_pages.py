"""Creating, editing, moving and retiring subjects on the web: through the services, scoped and audited."""

import datetime

import pytest
from django.urls import reverse

from sanling.assessment.periods import Period
from sanling.assessment.selectors import region_rates
from sanling.assessment.services import assessment_check, assessment_year_open
from sanling.audit.models import AuditEntry
from sanling.events.services import event_create
from sanling.subjects.models import Subject, SubjectPlacement

pytestmark = pytest.mark.django_db


def new_unit(region_code: str, department_code: str = "JY", **extra) -> dict:
    return {
        "code": "U9",
        "name": "金牛幼儿园",
        "kind": "institution",
        "category": "kindergarten",
        "region": region_code,
        "department": department_code,
        "joined_on": "2025-04-01",
        **extra,
    }


def unit_rate(region, period: str):
    return next(
        row for row in region_rates(region=region, period=Period.parse(period)) if row.group == "unit"
    )


def errors_of(response) -> str:
    return " ".join(str(error) for errors in response.context["form"].errors.values() for error in errors)


# Creating


def test_a_town_operator_creates_a_subject_in_their_town(client, personas):
    client.force_login(personas["town_a"])
    response = client.post(reverse("subjects:create"), new_unit(personas["jinniu"].code))
    subject = Subject.objects.get(code="U9")
    assert response.status_code == 302 and response.url == reverse("subjects:detail", args=[subject.pk])
    assert (subject.region, subject.department) == (personas["jinniu"], personas["education"])
    assert SubjectPlacement.objects.filter(subject=subject, valid_to__isnull=True).count() == 1


def test_creating_a_subject_is_audited_under_the_user(client, personas):
    client.force_login(personas["town_a"])
    client.post(reverse("subjects:create"), new_unit(personas["jinniu"].code))
    entry = AuditEntry.objects.get(object_type="subject", object_key="U9", action="create")
    assert entry.actor_name == "town_a"


def test_a_town_operator_cannot_create_a_subject_in_another_town(client, personas):
    client.force_login(personas["town_a"])
    response = client.post(reverse("subjects:create"), new_unit(personas["dongwan"].code))
    assert response.status_code == 200 and not Subject.objects.filter(code="U9").exists()
    assert f"您的辖区内没有编码为“{personas['dongwan'].code}”的区划" in errors_of(response)


def test_a_department_user_creates_units_of_its_own_department_only(client, personas):
    client.force_login(personas["dept"])
    refused = client.post(reverse("subjects:create"), new_unit(personas["dongwan"].code, "YJ"))
    assert not Subject.objects.filter(code="U9").exists()
    assert "department" in refused.context["form"].errors
    client.post(reverse("subjects:create"), new_unit(personas["dongwan"].code, "JY"))
    assert Subject.objects.get(code="U9").department == personas["education"]


def test_the_create_form_offers_only_the_users_departments(client, personas):
    client.force_login(personas["dept"])
    content = client.get(reverse("subjects:create")).content.decode()
    assert "区教育局" in content and "区应急管理局" not in content


def test_the_create_form_explains_a_wrong_combination_in_chinese(client, personas):
    client.force_login(personas["town_a"])
    response = client.post(reverse("subjects:create"), new_unit(personas["jinniu"].code, category=""))
    assert "企事业单位必须填写类别。" in errors_of(response)


def test_a_second_village_subject_on_one_node_is_refused_in_chinese(client, personas):
    client.force_login(personas["town_a"])
    response = client.post(
        reverse("subjects:create"),
        {"code": "V9", "name": "金牛二社区", "kind": "community", "region": personas["jinniu"].code,
         "joined_on": "2025-04-01"},
    )  # fmt: skip
    assert not Subject.objects.filter(code="V9").exists()
    assert "金牛社区 已有村社区创建主体（V1）" in errors_of(response)


def test_a_subject_cannot_join_before_the_earliest_year(client, personas):
    client.force_login(personas["town_a"])
    response = client.post(
        reverse("subjects:create"), new_unit(personas["jinniu"].code, joined_on="1900-01-01")
    )
    assert not Subject.objects.filter(code="U9").exists()
    assert "1900-01-01 早于系统最早年份" in errors_of(response)


# Editing


def edit_form(subject, **changes) -> dict:
    return {
        "name": subject.name,
        "kind": subject.kind,
        "category": subject.category,
        "uscc": subject.uscc,
        "address": subject.address,
        "contact_name": subject.contact_name,
        "contact_phone": subject.contact_phone,
        "joined_on": subject.joined_on.isoformat(),
        "version": subject.version,
        **changes,
    }


def test_a_town_operator_edits_a_subject_of_their_town(client, personas):
    school = personas["school"]
    client.force_login(personas["town_a"])
    response = client.post(
        reverse("subjects:edit", args=[school.pk]), edit_form(school, name="实验小学（新校区）")
    )
    assert response.status_code == 302
    school.refresh_from_db()
    assert (school.name, school.version) == ("实验小学（新校区）", 2)
    entry = AuditEntry.objects.filter(object_key="U1", action="update").latest("seq")
    assert entry.actor_name == "town_a"


def test_an_edit_over_someone_elses_change_keeps_the_input_and_changes_nothing(client, personas):
    school = personas["school"]
    form = edit_form(school, name="我的改名")
    Subject.objects.filter(pk=school.pk).update(name="别人的改名", version=2)
    client.force_login(personas["town_a"])
    response = client.post(reverse("subjects:edit", args=[school.pk]), form)
    assert response.status_code == 200 and "别人的改名" in response.content.decode()
    assert 'value="我的改名"' in response.content.decode()
    assert Subject.objects.get(pk=school.pk).name == "别人的改名"


def test_the_edit_form_offers_only_kinds_of_the_same_group(client, personas):
    client.force_login(personas["town_a"])
    form = client.get(reverse("subjects:edit", args=[personas["jinniu_village"].pk])).context["form"]
    assert [value for value, _label in form.fields["kind"].choices] == ["village", "community"]


def test_the_edit_form_shows_a_bad_phone_in_chinese(client, personas):
    school = personas["school"]
    client.force_login(personas["town_a"])
    response = client.post(reverse("subjects:edit", args=[school.pk]), edit_form(school, contact_phone="12"))
    assert response.status_code == 200 and "电话" in errors_of(response)


# Moving


def test_a_move_keeps_earlier_periods_with_the_old_place(client, personas):
    assessment_year_open(year=2025)
    factory = personas["factory"]
    client.force_login(personas["admin_user"])
    response = client.post(
        reverse("subjects:move", args=[factory.pk]),
        {"region": personas["jinniu"].code, "department": "YJ", "moved_on": "2025-07-01", "version": 1},
    )
    assert response.status_code == 302
    assert unit_rate(personas["shangqiao"], "2025-06").active == 1
    assert unit_rate(personas["shangqiao"], "2025-07").active == 0
    assert unit_rate(personas["shabei"], "2025-07").active == 2
    assert assessment_check() == []
    entry = AuditEntry.objects.filter(object_key="U2", action="update").latest("seq")
    assert entry.actor_name == "admin_user" and "region" in entry.changes["after"]


def test_a_town_operator_cannot_move_a_subject_out_of_their_town(client, personas):
    school = personas["school"]
    client.force_login(personas["town_a"])
    response = client.post(
        reverse("subjects:move", args=[school.pk]),
        {"region": personas["dongwan"].code, "department": "JY", "moved_on": "2025-07-01", "version": 1},
    )
    assert response.status_code == 200 and Subject.objects.get(pk=school.pk).region == personas["grid"]
    assert f"您的辖区内没有编码为“{personas['dongwan'].code}”的区划" in errors_of(response)


def test_a_department_user_cannot_hand_a_unit_to_another_department(client, personas):
    school = personas["school"]
    client.force_login(personas["dept"])
    response = client.post(
        reverse("subjects:move", args=[school.pk]),
        {"region": personas["jinniu"].code, "department": "YJ", "moved_on": "2025-07-01", "version": 1},
    )
    assert "department" in response.context["form"].errors
    assert Subject.objects.get(pk=school.pk).department == personas["education"]


def test_a_move_before_the_subject_joined_is_refused_in_chinese(client, personas):
    school = personas["school"]
    client.force_login(personas["town_a"])
    response = client.post(
        reverse("subjects:move", args=[school.pk]),
        {"region": personas["jinniu"].code, "department": "JY", "moved_on": "2025-01-01", "version": 1},
    )
    assert (
        "2025-03-03" in errors_of(response) and Subject.objects.get(pk=school.pk).region == personas["grid"]
    )


def test_a_move_to_the_same_place_is_refused_in_chinese(client, personas):
    school = personas["school"]
    client.force_login(personas["town_a"])
    response = client.post(
        reverse("subjects:move", args=[school.pk]),
        {"region": personas["grid"].code, "department": "JY", "moved_on": "2025-07-01", "version": 1},
    )
    assert response.status_code == 200 and "已在" in errors_of(response)


def test_a_second_move_on_or_before_the_last_one_is_refused(client, personas):
    school = personas["school"]
    client.force_login(personas["town_a"])
    client.post(
        reverse("subjects:move", args=[school.pk]),
        {"region": personas["jinniu"].code, "department": "JY", "moved_on": "2025-07-01", "version": 1},
    )
    response = client.post(
        reverse("subjects:move", args=[school.pk]),
        {"region": personas["shabei"].code, "department": "JY", "moved_on": "2025-07-01", "version": 2},
    )
    assert "调整日期必须晚于上次调整日期 2025-07-01" in errors_of(response)
    assert Subject.objects.get(pk=school.pk).region == personas["jinniu"]


# Retiring


def test_a_retired_subject_drops_out_of_periods_after_the_date(client, personas):
    assessment_year_open(year=2025)
    school = personas["school"]
    client.force_login(personas["town_a"])
    response = client.post(
        reverse("subjects:retire", args=[school.pk]), {"retired_on": "2025-06-15", "version": 1}
    )
    assert response.status_code == 302
    assert Subject.objects.get(pk=school.pk).retired_on == datetime.date(2025, 6, 15)
    assert unit_rate(personas["shabei"], "2025-06").active == 1
    assert unit_rate(personas["shabei"], "2025-07").active == 0
    assert assessment_check() == []
    entry = AuditEntry.objects.filter(object_key="U1", action="update").latest("seq")
    assert entry.changes["after"] == {"retired_on": "2025-06-15"} and entry.actor_name == "town_a"


def test_a_retirement_before_joining_is_refused_in_chinese(client, personas):
    school = personas["school"]
    client.force_login(personas["town_a"])
    response = client.post(
        reverse("subjects:retire", args=[school.pk]), {"retired_on": "2025-01-01", "version": 1}
    )
    assert "退出日期不能早于" in errors_of(response)
    assert Subject.objects.get(pk=school.pk).retired_on is None


def test_a_retirement_before_an_event_on_record_is_refused(client, personas):
    village = personas["jinniu_village"]
    event_create(subject=village, type="security_case", occurred_on=datetime.date(2025, 5, 6), title="斗殴")
    client.force_login(personas["town_a"])
    response = client.post(
        reverse("subjects:retire", args=[village.pk]), {"retired_on": "2025-04-01", "version": 1}
    )
    assert "金牛社区 有 2025-05-06 的事件或纠纷记录" in errors_of(response)
    assert Subject.objects.get(pk=village.pk).retired_on is None


def test_a_retirement_needs_a_date(client, personas):
    client.force_login(personas["town_a"])
    response = client.post(reverse("subjects:retire", args=[personas["school"].pk]), {"version": 1})
    assert "该字段是必填项。" in errors_of(response)


# Who may


@pytest.mark.parametrize("role", ["viewer", "auditor"])
def test_read_only_roles_get_403_on_every_write_page(client, personas, role):
    client.force_login(personas[role])
    pk = personas["school"].pk
    for url in (
        reverse("subjects:create"),
        reverse("subjects:edit", args=[pk]),
        reverse("subjects:move", args=[pk]),
        reverse("subjects:retire", args=[pk]),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url).status_code == 403, url


@pytest.mark.parametrize("name", ["edit", "move", "retire"])
def test_a_subject_of_another_town_is_404(client, personas, name):
    client.force_login(personas["town_a"])
    url = reverse(f"subjects:{name}", args=[personas["factory"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": 1, "retired_on": "2025-06-01"}).status_code == 404


@pytest.mark.parametrize("name", ["edit", "move", "retire"])
def test_a_unit_of_another_department_is_404_for_a_department_user(client, personas, name):
    client.force_login(personas["dept"])
    assert client.get(reverse(f"subjects:{name}", args=[personas["factory"].pk])).status_code == 404


def test_writers_see_the_links_to_the_write_pages(client, personas):
    client.force_login(personas["town_a"])
    school = personas["school"]
    assert reverse("subjects:create") in client.get(reverse("subjects:list")).content.decode()
    page = client.get(reverse("subjects:detail", args=[school.pk])).content.decode()
    for name in ("edit", "move", "retire"):
        assert reverse(f"subjects:{name}", args=[school.pk]) in page


def test_read_only_roles_see_no_links_to_the_write_pages(client, personas):
    client.force_login(personas["viewer"])
    school = personas["school"]
    assert reverse("subjects:create") not in client.get(reverse("subjects:list")).content.decode()
    page = client.get(reverse("subjects:detail", args=[school.pk])).content.decode()
    assert reverse("subjects:edit", args=[school.pk]) not in page


# The region picker


def test_the_region_search_finds_regions_of_the_users_subtree_by_name(client, personas):
    client.force_login(personas["town_a"])
    content = client.get(reverse("subjects:regions") + "?q=金牛").content.decode()
    assert personas["jinniu"].code in content and personas["grid"].code in content


def test_the_region_search_does_not_leave_the_users_subtree(client, personas):
    client.force_login(personas["town_a"])
    content = client.get(reverse("subjects:regions") + "?q=东湾").content.decode()
    assert personas["dongwan"].code not in content
    assert personas["dongwan"].code not in client.get(reverse("subjects:regions")).content.decode()


def test_the_region_search_is_closed_to_anonymous_users(client, personas):
    assert client.get(reverse("subjects:regions") + "?q=金牛").status_code == 302
