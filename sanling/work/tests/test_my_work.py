"""我的待办: one inbox per user with the cases held by them or their organisation, soonest due first,
overdue in red, counted in the navigation; the leaders' overdue work by organisation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sanling.accounts.scope import scope_for
from sanling.work.selectors import my_work, overdue_by_organisation, work_counts
from sanling.work.services import work_item_open

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def inbox(casework):
    """Cases on both sides of the county, due around today:

    金牛 (沙北): A due in 2 days with grid_a as handler; B overdue 3 days held by the 金牛 调委会; C without a
    due date held by the 金牛 调委会; D overdue 5 days held by the 沙北 矛调中心; E closed. 东湾 (商桥): F overdue
    held by the 商桥 矛调中心, with grid_a named as handler by mistake (outside grid_a's scope).
    """
    today = timezone.localdate()
    world = dict(casework)
    jinniu, dongwan = casework["jinniu_village"], casework["dongwan_village"]
    specs = (
        (
            "A",
            "dispute",
            jinniu,
            "金牛宅基地纠纷",
            today + 2 * DAY,
            casework["org_jinniu"],
            casework["grid_a"],
            None,
        ),
        ("B", "dispute", jinniu, "金牛邻里噪音", today - 3 * DAY, casework["org_jinniu"], None, None),
        ("C", "petition", jinniu, "金牛来信反映路灯", None, casework["org_jinniu"], None, None),
        ("D", "petition", jinniu, "金牛集体访", today - 5 * DAY, casework["org_shabei"], None, None),
        ("E", "dispute", jinniu, "金牛已化解", today - 9 * DAY, casework["org_jinniu"], None, today - DAY),
        (
            "F",
            "dispute",
            dongwan,
            "东湾土地承包",
            today - 4 * DAY,
            casework["org_shangqiao"],
            casework["grid_a"],
            None,
        ),
    )
    for key, kind, subject, title, due_on, organisation, handler, closed_on in specs:
        world[f"item_{key}"] = work_item_open(
            ref=f"JN-2025-{key}" if subject == jinniu else f"DW-2025-{key}",
            kind=kind,
            subject=subject,
            title=title,
            step="mediating" if kind == "dispute" else "handling",
            opened_on=today - 20 * DAY,
            due_on=due_on,
            organisation=organisation,
            handler=handler,
            closed_on=closed_on,
        )
    return world


def refs(items) -> list[str]:
    return [item.ref for item in items]


def test_a_member_sees_their_organisations_queue_and_their_own_cases_soonest_first(inbox):
    assert refs(my_work(inbox["grid_a"])) == ["JN-2025-B", "JN-2025-A", "JN-2025-C"]


def test_a_case_without_a_due_date_comes_last(inbox):
    assert refs(my_work(inbox["grid_a"]))[-1] == "JN-2025-C"


def test_the_head_of_an_organisation_sees_its_queue(inbox):
    assert refs(my_work(inbox["town_a"])) == ["JN-2025-D"]


def test_a_case_outside_the_users_scope_is_not_in_their_inbox(inbox):
    assert "DW-2025-F" not in refs(my_work(inbox["grid_a"]))


def test_closed_cases_leave_the_inbox(inbox):
    assert "JN-2025-E" not in refs(my_work(inbox["grid_a"]))


def test_a_user_of_no_organisation_has_an_empty_inbox(inbox):
    assert refs(my_work(inbox["viewer"])) == []


def test_the_counts_are_open_and_overdue_in_one_query(inbox, django_assert_num_queries):
    scope = scope_for(inbox["grid_a"])
    with django_assert_num_queries(1):
        counts = work_counts(inbox["grid_a"], scope=scope)
    assert (counts.open, counts.overdue) == (3, 1)


def test_the_counts_follow_the_day(inbox):
    later = timezone.localdate() + 3 * DAY  # A is overdue by then too
    assert work_counts(inbox["grid_a"], on=later).overdue == 2


def test_the_page_shows_overdue_cases_in_red_with_links_to_the_case(client, inbox):
    client.force_login(inbox["grid_a"])
    page = client.get(reverse("work:mine")).content.decode()
    assert page.index("JN-2025-B") < page.index("JN-2025-A") < page.index("JN-2025-C")
    assert 'class="work-card is-overdue" data-ref="JN-2025-B"' in page
    assert 'class="work-card" data-ref="JN-2025-A"' in page
    assert "已超期 3 天" in page
    assert 'href="/disputes/JN-2025-A/"' in page and 'href="/petitions/JN-2025-C/"' in page
    assert "东湾" not in page


def test_the_navigation_shows_the_counts(client, inbox):
    client.force_login(inbox["grid_a"])
    page = client.get(reverse("dashboard:home"), follow=True).content.decode()
    assert 'title="待办 3 件，超期 1 件">1/3</span>' in page


def test_the_navigation_badge_is_absent_for_an_empty_inbox(client, inbox):
    client.force_login(inbox["viewer"])
    page = client.get(reverse("work:mine")).content.decode()
    assert "我的待办" in page and 'class="badge' not in page


def test_a_leader_sees_the_overdue_work_of_the_subtree_by_organisation(inbox):
    groups = overdue_by_organisation(scope_for(inbox["town_a"]))
    named = {group.organisation.name: refs(group.items) for group in groups if group.organisation}
    assert named == {"沙北街道矛调中心": ["JN-2025-D"], "金牛社区人民调解委员会": ["JN-2025-B"]}
    assert all(item.days_overdue > 0 for group in groups for item in group.items)


def test_overdue_cases_without_an_organisation_come_last(inbox):
    # The personas' 金牛邻里纠纷 was registered (2025-03-03) before any organisation existed.
    groups = overdue_by_organisation(scope_for(inbox["town_a"]))
    assert groups[-1].organisation is None
    assert [item.title for item in groups[-1].items] == ["金牛邻里纠纷"]


def test_the_county_sees_every_organisations_overdue_work_with_counts(inbox):
    groups = overdue_by_organisation(scope_for(inbox["admin_user"]))
    counts = {group.organisation.code: group.count for group in groups if group.organisation}
    assert counts == {"JN-TWH": 1, "SB-MTZX": 1, "SQ-MTZX": 1}


def test_the_overdue_page_is_for_leaders(client, inbox):
    client.force_login(inbox["town_a"])
    page = client.get(reverse("work:overdue")).content.decode()
    assert "沙北街道矛调中心" in page and "JN-2025-D" in page and "东湾" not in page
    client.force_login(inbox["grid_a"])
    assert client.get(reverse("work:overdue")).status_code == 403


def test_a_department_user_sees_only_its_units_overdue_work(client, inbox):
    client.force_login(inbox["dept"])
    page = client.get(reverse("work:overdue"))
    assert page.status_code == 200
    assert "JN-2025" not in page.content.decode()  # the 金牛 cases are a community's, not the bureau's


def test_the_api_lists_my_work_with_days_overdue_and_the_case_page(api_as, inbox):
    body = api_as(inbox["grid_a"]).get("/api/v1/my-work/").json()
    assert body["count"] == 3
    first = body["results"][0]
    assert {
        key: first[key] for key in ("ref", "kind", "step", "subject_code", "organisation", "handler")
    } == {
        "ref": "JN-2025-B",
        "kind": "dispute",
        "step": "mediating",
        "subject_code": "V1",
        "organisation": "金牛社区人民调解委员会",
        "handler": None,
    }
    assert first["days_overdue"] == 3
    assert first["url"].endswith("/disputes/JN-2025-B/")
    assert body["results"][-1]["due_on"] is None


def test_the_api_pages_my_work_like_the_other_lists(api_as, inbox):
    body = api_as(inbox["grid_a"]).get("/api/v1/my-work/", {"page_size": 2}).json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]


def test_the_overdue_list_is_bounded_but_the_counts_are_whole(inbox):
    groups = overdue_by_organisation(scope_for(inbox["admin_user"]), limit=1)
    assert sum(group.count for group in groups) == 5  # B, D, F and the personas' two disputes
    assert sum(len(group.items) for group in groups) == 1
    [shown] = [item for group in groups for item in group.items]
    assert shown.title in ("金牛邻里纠纷", "东湾土地纠纷")  # registered 2025-03-03: the most overdue


def test_a_case_the_user_worked_on_shows_as_closed_recently_and_one_they_did_not_does_not(casework):
    import datetime as _datetime

    from django.utils import timezone as _timezone

    from sanling.audit.context import Actor, acting
    from sanling.disputes.services import dispute_create, dispute_resolve
    from sanling.work.selectors import my_recently_closed

    today = _timezone.localdate()
    with acting(Actor(user=casework["grid_a"], name="grid_a")):
        mine = dispute_create(
            subject=casework["jinniu_village"],
            reported_on=today - _datetime.timedelta(days=1),
            summary="我登记的",
        )
    other = dispute_create(subject=casework["jinniu_village"], reported_on=today, summary="别人登记的")
    for dispute in (mine, other):
        dispute_resolve(dispute=dispute, on=today, method="people")
    assert [item.ref for item in my_recently_closed(casework["grid_a"], on=today)] == [mine.ref]
    assert my_recently_closed(casework["grid_a"], on=today + _datetime.timedelta(days=31)) == []
