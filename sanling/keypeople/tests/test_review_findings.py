"""Defects found in the review of issue 15 (grid fieldwork), written as the behaviour that should hold.
Each test fails on main at the time of the review."""

import datetime

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_post(personas):
    from sanling.grids.services import post_create

    return post_create(
        region=personas["jinniu"],
        post_type="grid_member",
        holder_name="李网格",
        started_on=datetime.date(2024, 1, 1),
    )


def test_the_new_person_form_opens_when_the_area_has_a_post(client, personas, a_post):
    """Review: GET /key-people/new/ was a 500 (AttributeError 'Post' object has no attribute
    'post_type_label', keypeople/forms.py PostChoice.label_from_instance) as soon as one post exists:
    ``posts()`` sets the label on the rows of a queryset the ModelChoiceField then re-queries."""
    client.force_login(personas["town_a"])
    response = client.get(reverse("keypeople:create"))
    assert response.status_code == 200
    assert "李网格" in response.content.decode()


def test_the_edit_form_opens_when_the_area_has_a_post(client, people, a_post):
    client.force_login(people["town_a"])
    response = client.get(reverse("keypeople:edit", kwargs={"ref": "KP-A"}))
    assert response.status_code == 200


def test_my_work_names_a_key_population_visit_in_chinese(client, people):
    """Review: 我的待办 (/work/) of the demo's grid worker read "Key-population visit KP-DEMO-10 待回访 …":
    ``WorkItem.Kind.KEY_VISIT``'s label (work/models.py) has no entry in the Chinese catalogue."""
    client.force_login(people["grid_a"])
    content = client.get(reverse("work:mine")).content.decode()
    assert "KP-A" in content
    assert "Key-population visit" not in content


def test_a_visit_frequency_beyond_the_forms_limit_is_refused(personas):
    """Review: /key-people/frequencies/ shows max 365 but the service saved 5000 days and 99999999 days; with
    the latter, registering a person of that category was a 500 (OverflowError: date value out of range in
    work/deadlines.py add_period, via keypeople/services.py next_visit_due)."""
    from django.core.exceptions import ValidationError

    from sanling.keypeople.services import visit_frequency_set

    with pytest.raises(ValidationError):
        visit_frequency_set(
            actor=personas["admin_user"],
            county=personas["county"],
            category="other",
            risk_level="low",
            amount=99999999,
            unit="days",
        )


def test_a_zero_frequency_is_refused_in_plain_chinese(client, personas):
    """Review: amount 0 answered “约束 “key_visit_frequency_positive” 是无效的” (a database constraint's name)."""
    client.force_login(personas["admin_user"])
    response = client.post(
        reverse("keypeople:frequencies"),
        {"category": "other", "risk_level": "low", "amount": "0", "unit": "days"},
        follow=True,
    )
    assert "key_visit_frequency_positive" not in response.content.decode()


def test_the_release_form_does_not_ask_for_a_reason_to_view(client, people):
    """Review: the 解除列管 form on a person's page reads “已解除列管 … 查看理由”: ReleaseForm.reason's label
    is gettext "Reason", whose catalogue entry is the unmask form's 查看理由 (and the summary says the person
    *is* released). A grid worker, who may not unmask, is asked for a “reason to view”."""
    client.force_login(people["grid_a"])
    content = client.get(reverse("keypeople:detail", kwargs={"ref": "KP-A"})).content.decode()
    assert 'id="release"' in content
    assert "查看理由" not in content


def test_a_refused_release_keeps_the_typed_reason(client, people):
    """Review: a release dated before the last step is refused by a flash message and a redirect; the reason
    typed on the phone is lost (issue 15 item 7: a form that fails validation keeps what was typed)."""
    client.force_login(people["town_a"])
    response = client.post(
        reverse("keypeople:release", kwargs={"ref": "KP-A"}),
        {"release-on": "2000-01-01", "release-reason": "迁往外省居住"},
    )
    assert response.status_code == 400
    assert "迁往外省居住" in response.content.decode()


def test_the_bundle_carries_key_people_csv(people, tmp_path):
    """Review: ``sanling export`` writes no key_people.csv and ``sanling import`` refuses one (“无法识别的文件：
    数据包只能包含 regions.csv … posts.csv”), while issue 15 item 9 lists key_people.csv among the bundle's
    files (encrypted at rest after import). It lives only in ``sanling key_people import|export``."""
    from sanling.exchange.exporter import bundle_export

    counts = bundle_export(tmp_path / "bundle")
    assert "key_people" in counts
    assert (tmp_path / "bundle" / "key_people.csv").exists()


def _someone(personas):
    from sanling.keypeople.services import key_person_create

    return key_person_create(
        actor=None,
        region=personas["jinniu"],
        category="mental_disorder",
        risk_level="medium",
        name="某某",
        registered_on=datetime.date(2025, 2, 1),  # medium: due 2025-03-01
    )


def test_a_past_months_overdue_visit_stays_overdue_after_a_late_visit(personas):
    """Review: ``key_visit_figures`` counts ``overdue`` (and the persons still waiting) from each person's
    *current* case due date, so a past month's 逾期未回访 changes when a visit is made today. In the demo,
    September 2026 shows 逾期未回访 0 though eight persons were weeks past their due date on 09-30."""
    from sanling.assessment.periods import Period
    from sanling.keypeople.figures import key_visit_figures
    from sanling.keypeople.services import key_person_visit_record

    someone = _someone(personas)
    march = Period.month(2025, 3)
    before = key_visit_figures(region=personas["county"], period=march, today=datetime.date(2025, 4, 15))
    assert before.overdue == 1  # due 03-01, not seen by 03-31
    key_person_visit_record(actor=None, person=someone, visited_on=datetime.date(2025, 4, 20))
    after = key_visit_figures(region=personas["county"], period=march, today=datetime.date(2025, 4, 25))
    assert after.overdue == 1


def test_a_person_registered_later_is_not_counted_in_an_earlier_year(personas):
    """Review: the demo's ten key persons, registered in August 2026, are 在管重点人员 10 for 2025
    (``sanling fieldwork stats --period 2025``): ``people`` counts today's active persons whatever the
    period."""
    from sanling.assessment.periods import Period
    from sanling.keypeople.figures import key_visit_figures

    _someone(personas)
    figures = key_visit_figures(
        region=personas["county"], period=Period.of_year(2024), today=datetime.date(2025, 4, 15)
    )
    assert figures.people == 0


def test_another_towns_key_person_is_not_revealed_by_the_duplicate_check(people, api_as):
    """Review (PIPL, scope): POST /api/v1/key-people/ by the 沙北 operator with the ID number of a person
    registered in 商桥 answers “该身份证号码的重点人员已登记，请勿重复登记”: anyone who may write key persons in
    one town can test any ID number for being a 精神障碍患者/社区矫正人员 … anywhere in the county. The
    duplicate check (services.py, blind index) runs across scopes and says so. (Design call for the lead:
    how to refuse a duplicate outside the writer's area without confirming it.)"""
    answer = api_as(people["town_a"]).post(
        "/api/v1/key-people/",
        {
            "region": "411103001001",
            "category": "other",
            "risk_level": "low",
            "name": "某人",
            "id_number": "110105199002024561",  # person_b's, registered in 东湾村 (商桥)
            "registered_on": "2025-02-01",
        },
        format="json",
    )
    assert "已登记" not in answer.content.decode()
