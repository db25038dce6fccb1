"""The dashboard puts each group's 达标率 against its target and the same period last year, with the gap in
points, on the cards and in the ranking of the regions below. The numbers are worked out by hand below."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from sanling.accounts.models import Profile
from sanling.events.services import event_create
from sanling.regions.models import Level
from sanling.regions.services import region_create
from sanling.subjects.services import subject_create
from sanling.targets.services import target_set

pytestmark = pytest.mark.django_db

JOINED = datetime.date(2024, 1, 1)


@pytest.fixture
def board(client, county, education, settings):
    """沙北: 3 villages, one broke a zero in 2025, none in 2024; 2 units, one broke one in 2025.
    商桥: 3 villages, none broke in 2025, two in 2024. Targets for 2025: the county's 80 (村社区) and 90
    (企事业), 商桥's own 85 for its villages.

    County villages 2025: 5 of 6 = 83.33% (80: +3.33); 2024: 4 of 6 = 66.67% → +16.66.
    County units 2025: 1 of 2 = 50.00% (90: −40); 2024: 2 of 2 = 100% → −50.
    沙北 villages 2025: 2 of 3 = 66.67% (80 inherited: −13.33); 2024 100% → −33.33.
    商桥 villages 2025: 3 of 3 = 100% (85 its own: +15); 2024: 1 of 3 = 33.33% → +66.67.
    """
    from django.contrib.auth import get_user_model

    settings.EARLIEST_YEAR = 2020
    villages = {}
    for town, count in (("shabei", 3), ("shangqiao", 3)):
        for index in range(count):
            node = region_create(
                code=f"{county[town].code[:9]}{500 + index:03d}",
                name=f"{county[town].name}村{index}",
                level=Level.VILLAGE,
                parent=county[town],
            )
            villages[(town, index)] = subject_create(
                code=f"V-{node.code}", name=f"村{node.code}", kind="village", region=node, joined_on=JOINED
            )
    units = [
        subject_create(
            code=f"U-{index}",
            name=f"沙北厂{index}",
            kind="enterprise",
            category="factory_mine",
            region=county["jinniu"],
            department=education,
            joined_on=JOINED,
        )
        for index in range(2)
    ]
    for subject, day in (
        (villages[("shabei", 0)], datetime.date(2025, 3, 3)),
        (villages[("shangqiao", 0)], datetime.date(2024, 5, 5)),
        (villages[("shangqiao", 1)], datetime.date(2024, 6, 6)),
    ):
        event_create(subject=subject, type="criminal_case", occurred_on=day, title="盗窃")
    event_create(
        subject=units[0],
        type="accident",
        accident_grade="general",
        occurred_on=datetime.date(2025, 4, 4),
        title="伤害",
    )
    for group, value in (("village", "80"), ("unit", "90")):
        target_set(year=2025, region=county["county"], group=group, indicator="rate", value=value)
    target_set(year=2025, region=county["shangqiao"], group="village", indicator="rate", value="85")
    user = get_user_model().objects.create_user(username="county_admin", password="pw-secret-123")
    Profile.objects.create(user=user, role="county_admin", region=county["county"])
    client.force_login(user)
    url = reverse("dashboard:region", kwargs={"code": county["county"].code}) + "?period=2025"
    return client.get(url)


def _card(response, group: str) -> str:
    html = response.content.decode()
    return re.search(rf'<div class="sub against[^"]*" data-against="{group}">(.*?)</div>', html, re.S).group(
        1
    )


def _ranking_cell(response, code: str, group: str) -> str:
    html = response.content.decode()
    row = re.search(rf'<tr data-code="{code}">(.*?)</tr>', html, re.S).group(1)
    return re.search(rf'data-against="{group}">(.*?)</td>', row, re.S).group(1)


def test_the_villages_card_shows_the_gap_to_the_target_and_the_change_on_last_year(board):
    against = board.context["board"].against["village"]
    assert (against.value, against.target, against.gap_points) == (
        Decimal("83.33"),
        Decimal("80.00"),
        Decimal("3.33"),
    )
    assert (against.last_year_value, against.change_points) == (Decimal("66.67"), Decimal("16.66"))
    card = _card(board, "village")
    assert against.sentence in card
    assert "3.33" in card and "+16.66" in card and "80%" in card


def test_the_units_card_shows_how_far_below_the_target_it_is(board):
    against = board.context["board"].against["unit"]
    assert (against.value, against.gap_points, against.change_points) == (
        Decimal("50.00"),
        Decimal("-40.00"),
        Decimal("-50.00"),
    )
    card = _card(board, "unit")
    assert "90%" in card and "40" in card and "-50" in card
    assert 'class="sub against below-target"' in board.content.decode()


def test_the_ranking_shows_each_towns_target_and_gap_inherited_or_its_own(board, county):
    assert _ranking_cell(board, county["shabei"].code, "village").count("80% · -13.33") == 1
    assert _ranking_cell(board, county["shangqiao"].code, "village").count("85% · +15") == 1
    children = {item.region.code: item for item in board.context["board"].children}
    assert children[county["shabei"].code].against["village"].change_points == Decimal("-33.33")
    assert children[county["shangqiao"].code].against["village"].change_points == Decimal("66.67")


def test_without_a_target_the_card_shows_last_year_only(client, board, county):
    from sanling.targets.models import Target

    Target.objects.all().delete()
    response = client.get(
        reverse("dashboard:region", kwargs={"code": county["county"].code}) + "?period=2025"
    )
    against = response.context["board"].against["village"]
    assert (against.target, against.gap_points, against.change_points) == (None, None, Decimal("16.66"))
    assert "+16.66" in _card(response, "village")


def test_a_department_user_is_not_shown_a_towns_own_target(client, board, county, education):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username="edu", password="pw-secret-123")
    Profile.objects.create(user=user, role="department_user", department=education)
    client.force_login(user)
    response = client.get(
        reverse("dashboard:region", kwargs={"code": county["county"].code}) + "?period=2025"
    )
    children = {item.region.code: item for item in response.context["board"].children}
    assert response.context["board"].against["unit"].target == Decimal("90.00")
    assert children[county["shabei"].code].against["unit"].target == Decimal("90.00")  # the county's
    target_set(year=2025, region=county["shabei"], group="unit", indicator="rate", value="95")
    response = client.get(
        reverse("dashboard:region", kwargs={"code": county["county"].code}) + "?period=2025"
    )
    children = {item.region.code: item for item in response.context["board"].children}
    assert children[county["shabei"].code].against["unit"].target is None  # 沙北's own: not the department's
