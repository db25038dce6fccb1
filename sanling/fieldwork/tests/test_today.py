"""The grid worker's day: "today" lists the key-population visits due, the hazards waiting for a re-check or
for their rectification and the open cases the worker holds, with big buttons to record what they did — and
nothing outside their scope.

The seeds: "人在网中行、事在格中办"; "对精神障碍患者、社区矫正人员等，要做到逐人见面，回访排查".
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sanling.hazards.services import hazard_register, hazard_request_recheck
from sanling.hazards.tests.helpers import as_user, photo
from sanling.keypeople.services import key_person_create
from sanling.work.services import work_item_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(casework):
    """Work of 金牛社区 held by its 调委会 (grid_a is a member) and of 东湾村 held by 商桥 (town_b's)."""
    today = timezone.localdate()
    past = today - datetime.timedelta(days=40)
    world = dict(casework)

    def item(ref, kind, subject, step, due, organisation, title):
        return work_item_open(
            ref=ref,
            kind=kind,
            subject=world[subject],
            title=title,
            step=step,
            opened_on=past,
            due_on=due,
            organisation=world[organisation],
        )

    # Key persons of 金牛 handled by grid_a: high risk is visited weekly, low risk every three months.
    world["visit_late"] = person(
        world, "KV-JN-1", "jinniu", "high", today - datetime.timedelta(days=10), "grid_a"
    )
    world["visit_today"] = person(
        world, "KV-JN-2", "jinniu", "high", today - datetime.timedelta(days=7), "grid_a"
    )
    world["visit_later"] = person(world, "KV-JN-3", "jinniu", "low", today, "grid_a")
    world["hazard_fix"] = hazard(world, "YH-JN-1", "jinniu_village", "org_jinniu", "沟渠无护栏", today)
    world["hazard_check"] = hazard(world, "YH-JN-2", "school", "org_jinniu", "消防通道堵塞", today)
    with as_user(world["town_a"]):
        hazard_request_recheck(hazard=world["hazard_check"], on=today, photos=[photo()])
    world["dispute"] = item(
        "JN-JF-1",
        "dispute",
        "jinniu_village",
        "mediating",
        today + datetime.timedelta(days=10),
        "org_jinniu",
        "邻里纠纷",
    )
    world["visit_b"] = item(
        "KV-DW-1", "key_visit", "dongwan_village", "due", today, "org_shangqiao", "东湾回访"
    )
    world["hazard_b"] = hazard(world, "YH-DW-1", "factory", "org_dongwan", "东湾危险水域", today)
    world["today"] = today
    return world


def person(world, ref, region, risk, registered_on, handler):
    return key_person_create(
        actor=None,
        ref=ref,
        region=world[region],
        category="mental_disorder",
        risk_level=risk,
        name="欧阳建华",
        handler=world[handler],
        registered_on=registered_on,
    )


def hazard(world, ref, subject, organisation, description, today):
    """A hazard found 40 days ago, to be rectified by ``organisation`` in five days."""
    return hazard_register(
        ref=ref,
        subject=world[subject],
        found_on=today - datetime.timedelta(days=40),
        category="消防安全",
        level="general",
        description=description,
        owner=world[organisation],
        due_on=today + datetime.timedelta(days=5),
    )


def _today(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("fieldwork:today"))
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str, name: str) -> str:
    return page.split(f'id="{name}"')[1].split("</section>")[0]


def test_a_grid_worker_lands_on_today_after_login(client, day):
    client.force_login(day["grid_a"])
    assert client.get("/", follow=True).redirect_chain[-1][0] == reverse("fieldwork:today")


@pytest.mark.parametrize("user", ["town_a", "admin_user", "viewer", "dept"])
def test_other_roles_keep_the_dashboard(client, day, user):
    client.force_login(day[user])
    assert client.get("/", follow=True).redirect_chain[-1][0].startswith("/dashboard/")


def test_a_grid_worker_can_still_open_the_dashboard(client, day):
    client.force_login(day["grid_a"])
    final = client.get(reverse("dashboard:home") + "?board", follow=True).redirect_chain[-1][0]
    assert final == reverse("dashboard:region", kwargs={"code": day["jinniu"].code})


def test_visits_due_this_week_are_listed_overdue_first_in_red(client, day):
    visits = _section(_today(client, day["grid_a"]), "visits")
    assert visits.index("KV-JN-1") < visits.index("KV-JN-2")
    assert 'class="work-card is-overdue" data-ref="KV-JN-1"' in visits
    assert 'class="work-card" data-ref="KV-JN-2"' in visits
    assert "已超期 3 天" in visits
    assert "KV-JN-3" not in visits  # due in three months, not this week


def test_a_key_persons_name_is_never_shown(client, day):
    """PIPL: the visits due show the category and the masked name (the case's title) only."""
    page = _today(client, day["grid_a"])
    assert "KV-JN-1" in page and "欧阳建华" not in page


def test_a_visit_due_today_is_marked_today(client, day):
    visits = _section(_today(client, day["grid_a"]), "visits")
    card = visits.split('data-ref="KV-JN-2"')[1].split("</li>")[0]
    assert "today-tag" in card


def test_a_hazard_waiting_for_its_recheck_is_offered_to_re_check(client, day):
    rechecks = _section(_today(client, day["grid_a"]), "rechecks")
    assert "YH-JN-2" in rechecks and "YH-JN-1" not in rechecks


def test_the_person_who_asked_for_the_recheck_is_not_offered_it(client, day):
    """Bad input of issue 15: "a 复查 by the same person who rectified" — so it is not on their list."""
    assert "YH-JN-2" not in _section(_today(client, day["town_a"]), "rechecks")


def test_hazards_being_rectified_are_listed_to_rectify(client, day):
    rectify = _section(_today(client, day["grid_a"]), "rectify")
    assert "YH-JN-1" in rectify and "YH-JN-2" not in rectify


def test_other_open_cases_are_listed(client, day):
    cases = _section(_today(client, day["grid_a"]), "cases")
    assert "JN-JF-1" in cases and "KV-JN-1" not in cases and "YH-JN-1" not in cases


def test_nothing_outside_the_grid_workers_scope_is_shown(client, day):
    page = _today(client, day["grid_a"])
    for text in ("KV-DW-1", "YH-DW-1", "东湾", "商桥"):
        assert text not in page


def test_the_town_operator_of_town_b_sees_only_town_bs_work(client, day):
    page = _today(client, day["town_b"])
    assert "KV-DW-1" in _section(page, "visits")
    for text in ("KV-JN", "YH-JN", "金牛"):
        assert text not in page


def test_big_buttons_record_each_kind_of_fieldwork(client, day):
    actions = _today(client, day["grid_a"]).split('id="today-actions"')[1].split("</nav>")[0]
    for app in ("keypeople", "visits", "hazards", "patrols", "meetings"):
        assert f'data-app="{app}"' in actions
    assert actions.count('class="button big"') == 5


def test_a_reader_gets_no_record_buttons(client, day):
    assert 'id="today-actions"' not in _today(client, day["viewer"])


def test_the_hub_links_each_fieldwork_list(client, day):
    hub = _section(_today(client, day["grid_a"]), "hub")
    for app in ("grids", "hazards", "keypeople", "visits", "patrols", "meetings"):
        assert f'data-app="{app}" href="{reverse(f"{app}:list")}"' in hub


def test_the_navigation_has_one_fieldwork_link(client, day):
    page = _today(client, day["grid_a"])
    assert page.count('class="nav-fieldwork"') == 1 and ">基层工作</a>" in page


def test_the_system_administrators_do_not_see_fieldwork(client, duty_holders):
    client.force_login(duty_holders["sysadmin"])
    assert client.get(reverse("fieldwork:today")).status_code == 403
    assert "nav-fieldwork" not in client.get(reverse("accounts:tokens")).content.decode()


def test_the_page_reads_a_bounded_number_of_queries(client, day, django_assert_max_num_queries):
    client.force_login(day["grid_a"])
    client.get(reverse("fieldwork:today"))
    with django_assert_max_num_queries(20):
        client.get(reverse("fieldwork:today"))


@pytest.fixture
def grids(day):
    """金牛社区 has two grids; grid_a holds the 网格员 post of the first. A hazard in each grid waits for its
    re-check; a hazard in grid_a's grid is rectified by 沙北's operator (not grid_a's case)."""
    from sanling.grids.services import post_create
    from sanling.regions.services import region_create

    world = dict(day)
    jinniu = world["jinniu"]
    mine = region_create(code=jinniu.code + "771", name="金牛一网格", level="grid", parent=jinniu)
    other = region_create(code=jinniu.code + "772", name="金牛二网格", level="grid", parent=jinniu)
    post_create(
        region=mine,
        post_type="grid_member",
        holder_name="张网格员",
        user=world["grid_a"],
        started_on=world["today"] - datetime.timedelta(days=100),
    )

    def in_grid(ref, grid, *, recheck, owner):
        found = hazard_register(
            ref=ref,
            subject=world["jinniu_village"],
            grid=grid,
            found_on=world["today"] - datetime.timedelta(days=10),
            category="消防安全",
            level="general",
            description="网格隐患",
            owner=owner,
            due_on=world["today"] + datetime.timedelta(days=5),
        )
        if recheck:
            with as_user(world["town_a"]):
                hazard_request_recheck(hazard=found, on=world["today"], photos=[photo()])
        return found

    in_grid("YH-G1-CHECK", mine, recheck=True, owner=world["org_jinniu"])
    in_grid("YH-G2-CHECK", other, recheck=True, owner=world["org_jinniu"])
    in_grid("YH-G1-FIX", mine, recheck=False, owner=world["town_a"])
    return world


def test_a_grid_worker_re_checks_the_hazards_of_their_own_grid_only(client, grids):
    """Review of issue 15: the re-check list offered hazards of the whole community, not of the worker's
    grid ("人在网中行、事在格中办")."""
    rechecks = _section(_today(client, grids["grid_a"]), "rechecks")
    assert "YH-G1-CHECK" in rechecks and "YH-G2-CHECK" not in rechecks


def test_a_grid_worker_is_offered_the_hazard_of_their_grid_to_rectify_whoever_handles_it(client, grids):
    """Review: the rectify list read only what the worker handles, missing the hazard of their own grid."""
    assert "YH-G1-FIX" in _section(_today(client, grids["grid_a"]), "rectify")


def test_key_person_items_say_return_visit_and_link_to_the_visit_form(client, day):
    """The key-person pages say 回访 ("逐人见面，回访排查"); the today page says the same and 记录回访 opens the
    visit form of that person."""
    page = _today(client, day["grid_a"])
    visits = _section(page, "visits")
    assert "走访" not in visits and "回访" in visits
    assert reverse("keypeople:visit", kwargs={"ref": day["visit_late"].ref}) in visits
    assert "本周待回访" in page


def test_a_department_user_gets_only_the_buttons_it_can_use(client, day):
    """Review of issue 15: the department user saw 登记巡逻/登记会议, which answer 403 (region-only records)."""
    page = _today(client, day["dept"])
    assert reverse("patrols:log_create") not in page and reverse("meetings:create") not in page
    assert reverse("hazards:inspection_create") in page
