"""The 基层工作 figures: each fieldwork domain's figures side by side, the same on the dashboard's panel and in
``sanling fieldwork stats``; ``sanling fieldwork overdue`` lists the hazards and key-population visits past
due; bad input is refused in Chinese.

郾城区: "该区共走访6万余户，累计走访13万余人次" — households visited and person-visits, from the records.
"""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from sanling.accounts.scope import Scope, scope_for
from sanling.assessment.periods import Period
from sanling.fieldwork.figures import fieldwork_figures
from sanling.hazards.services import hazard_register
from sanling.keypeople.services import key_person_create
from sanling.visits.models import HouseholdCount
from sanling.visits.services import household_visit_create

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 10)
EVERYTHING = Scope(role="", region=None, department=None, everything=True)


@pytest.fixture
def field(casework):
    """Three visits to two households of 金牛社区 (4 persons met; 10 households counted), one in 东湾村, and
    an overdue hazard and key-population visit in each town."""
    world = dict(casework)
    for household, persons in (("3组12号", 2), ("３组 12号", 1), ("5组1号", 1)):
        household_visit_create(
            scope=EVERYTHING,
            region=world["jinniu"],
            household=household,
            visited_on=DAY,
            theme="six_promotions",
            persons_met=persons,
        )
    household_visit_create(
        scope=EVERYTHING, region=world["dongwan"], household="1组1号", visited_on=DAY, theme="six_promotions"
    )
    HouseholdCount.objects.create(region=world["jinniu"], households=10, as_of=datetime.date(2025, 1, 1))
    for ref, subject, due in (
        ("YH-JN-9", "jinniu_village", datetime.date(2025, 3, 4)),
        ("YH-DW-9", "factory", datetime.date(2025, 3, 5)),
        ("YH-JN-10", "school", datetime.date(2025, 4, 30)),  # not yet due
    ):
        hazard_register(
            ref=ref,
            subject=world[subject],
            found_on=datetime.date(2025, 3, 3),  # the day the subjects joined the campaign
            category="消防安全",
            level="general",
            description=f"{ref} 消防通道堵塞",
            due_on=due,
        )
    # High risk: visited weekly, so registered on 1 March the first visit was due on 8 March.
    world["person"] = key_person_create(
        actor=None,
        ref="KV-JN-9",
        region=world["jinniu"],
        category="mental_disorder",
        risk_level="high",
        name="欧阳建华",
        registered_on=datetime.date(2025, 3, 1),
    )
    return world


def _run(*arguments: str) -> str:
    out = StringIO()
    call_command("fieldwork", *arguments, stdout=out)
    return out.getvalue()


def test_the_figures_put_each_domains_figures_under_its_heading(field):
    figures = fieldwork_figures(region=field["county"], period=Period.month(2025, 3))
    visits = figures.section("visits").figures
    assert (visits.households_visited, visits.person_visits) == (3, 5)
    labels = [label for label, _value in figures.rows()]
    assert any(label.startswith("入户走访 · ") for label in labels)


def test_the_figures_of_a_region_count_only_its_subtree(field):
    visits = fieldwork_figures(region=field["jinniu"], period=Period.month(2025, 3)).section("visits").figures
    assert (visits.households_visited, visits.person_visits, visits.households) == (2, 4, 10)
    assert visits.coverage_rate == 20


def test_a_users_figures_leave_out_what_they_may_not_see(field):
    scope = scope_for(field["town_a"])
    visits = fieldwork_figures(region=field["county"], period=Period.month(2025, 3), scope=scope)
    assert visits.section("visits").figures.households_visited == 2


def test_stats_json_gives_every_domains_figures(field):
    data = json.loads(
        _run("stats", "--region", field["county"].code, "--period", "2025-03", "--format", "json")
    )
    assert (data["region_code"], data["period"]) == (field["county"].code, "2025-03")
    assert (data["visits"]["households_visited"], data["visits"]["person_visits"]) == (3, 5)


def test_stats_table_prints_a_heading_per_domain(field):
    table = _run("stats", "--region", field["jinniu"].code, "--period", "2025-03")
    assert table.splitlines()[0].startswith(f"{field['jinniu'].code} 金牛社区  2025-03")
    assert "【入户走访】" in table and "20.00%" in table


def test_overdue_lists_hazards_and_key_population_visits_past_due(field):
    rows = json.loads(
        _run("overdue", "--region", field["shabei"].code, "--on", "2025-03-10", "--format", "json")
    )
    assert [(row["ref"], row["days_overdue"]) for row in rows] == [("YH-JN-9", 6), ("KV-JN-9", 2)]
    assert list(rows[0]) == ["kind", "ref", "title", "place", "step", "due_on", "days_overdue", "holder"]


def test_overdue_never_shows_a_key_persons_name(field):
    """PIPL: a key person's identity is shown masked, and a listing shows the category and masked name only."""
    output = _run("overdue", "--region", field["county"].code, "--on", "2025-03-10", "--format", "json")
    assert "KV-JN-9" in output and "欧阳建华" not in output


def test_overdue_table_counts_the_rows(field):
    table = _run("overdue", "--region", field["county"].code, "--on", "2025-03-10")
    assert "YH-DW-9" in table and "YH-JN-10" not in table
    assert table.rstrip().endswith("共 3 件（2025-03-10）")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("stats", "--region", "419999999999", "--period", "2025"), "未知的区划代码“419999999999”"),
        (("stats", "--region", "411103000000", "--period", "2025Q7"), "不是"),
        (("stats", "--region", "411103000000", "--period", "2099"), "尚未开始"),
        (("overdue", "--region", "419999999999", "--on", "2025-04-10"), "未知的区划代码"),
        (("overdue", "--region", "411103000000", "--on", "2025-02-30"), "不是有效日期"),
    ],
)
def test_bad_input_is_refused_in_chinese(casework, arguments, message):
    with pytest.raises(CommandError, match=message):
        _run(*arguments)


# The dashboard's panel.


def _panel(client, user, region, period="2025-03") -> str:
    client.force_login(user)
    url = reverse("dashboard:region", kwargs={"code": region.code}) + f"?period={period}"
    page = client.get(url).content.decode()
    assert 'id="fieldwork"' in page
    return page.split('id="fieldwork"')[1].split("</section>")[0]


def test_the_dashboard_shows_the_fieldwork_panel_next_to_casework(client, field):
    client.force_login(field["admin_user"])
    page = client.get(reverse("dashboard:region", kwargs={"code": field["county"].code}) + "?period=2025-03")
    html = page.content.decode()
    assert html.index('id="casework"') < html.index('id="fieldwork"')
    panel = html.split('id="fieldwork"')[1].split("</section>")[0]
    assert ">基层工作<" in panel and 'data-section="visits"' in panel


def test_the_panel_shows_the_users_own_figures(client, field):
    panel = _panel(client, field["town_a"], field["shabei"])
    visits = panel.split('data-section="visits"')[1].split("</tbody>")[0]
    assert ">2<" in visits and ">4<" in visits


def test_the_system_administrator_sees_no_panel(client, duty_holders):
    client.force_login(duty_holders["sysadmin"])
    url = reverse("dashboard:region", kwargs={"code": duty_holders["county"].code})
    assert 'id="fieldwork"' not in client.get(url).content.decode()
