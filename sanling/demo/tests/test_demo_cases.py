"""The demo county's casework: organisations at every level, three handlers who log in to their queues, and
a year of cases that leaves the seeds' figures as they were (867 disputes, 96%+ resolved; 村社区 90.71%,
企事业 97.71%), 李集镇's "共接待信访案件72件，全部得到有效化解", 中站区's 信访代理 "共代理案件9起，办结率和满意率
均达到89%", and today's open work, due soon and overdue.

The demo is loaded once for the module (it takes about a minute) inside a transaction rolled back at the end.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from sanling.assessment.periods import Period
from sanling.assessment.selectors import dispute_rate, region_rates
from sanling.assessment.services import assessment_check
from sanling.demo.cases import WALK_SUMMARY
from sanling.demo.organisations import DEMO_HANDLERS, LIJI, MENGMIAO, MENGMIAO_VILLAGE
from sanling.demo.services import DEMO_PASSWORD, demo_foreign_data, demo_handlers_create, demo_load
from sanling.disputes.models import Dispute
from sanling.organisations.models import Organisation
from sanling.organisations.selectors import organisations_of
from sanling.petitions.models import AgencyCase, Backlog, Petition
from sanling.regions.models import Region, subtree_q
from sanling.work.models import WorkItem

YEAR = Period.parse("2025")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    # The accounts are hashed as every test hashes them (conftest's fast_password_hashing is per test).
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic(), fast:
        demo_load(folder=tmp_path_factory.mktemp("demo"), year=2025)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def loaded(demo, db):
    return Region.objects.get(code="411103000000")


def in_town(code: str):
    return subtree_q(Region.objects.get(code=code).path, via="subject__region__")


def test_the_year_still_has_867_disputes_over_96_percent_resolved(loaded):
    registered, resolved, rate = dispute_rate(region=loaded, period=YEAR)
    assert registered == 867 and rate > 96


def test_the_seeds_rates_of_the_demo_are_unchanged_by_its_cases(loaded):
    village, unit = region_rates(region=loaded, period=YEAR)
    assert (village.active, village.rate) == (183, Decimal("90.71"))
    assert (unit.active, unit.rate) == (7022, Decimal("97.71"))


def test_the_rollups_agree_with_a_rebuild_after_the_demo_cases(loaded):
    assert assessment_check() == []


def test_every_dispute_of_the_year_is_a_case_with_its_timeline(loaded):
    disputes = Dispute.objects.filter(reported_on__year=2025)
    assert disputes.filter(case__isnull=True).count() == 0
    assert disputes.filter(case__timeline__action="register").distinct().count() == 867


def test_a_dispute_resolved_at_the_town_was_handed_up_from_the_group_and_the_village(loaded):
    dispute = Dispute.objects.filter(reported_on__year=2025, resolved_level="town").first()
    actions = list(dispute.case.timeline.order_by("on", "pk").values_list("action", flat=True))
    assert actions[:6] == ["register", "mediate", "escalate", "mediate", "escalate", "mediate"]
    assert "resolve" in actions
    assert dispute.case.closed_on == dispute.resolved_on


def test_the_unresolved_disputes_are_being_mediated_wait_higher_up_or_failed(loaded):
    statuses = set(
        Dispute.objects.filter(reported_on__year=2025)
        .exclude(status="resolved")
        .values_list("status", flat=True)
    )
    assert statuses <= {"mediating", "escalated", "failed", "litigated", "petitioned"}
    assert {"litigated", "petitioned"} <= statuses


def test_a_failed_dispute_became_a_petition_below_the_county_with_no_event(loaded):
    petitions = Petition.objects.filter(from_dispute__reported_on__year=2025)
    assert petitions.exists()
    assert set(petitions.values_list("level", flat=True)) == {"town"}
    assert not petitions.filter(event__isnull=False).exists()


def test_liji_received_72_petitions_in_the_year_and_concluded_all_of_them(loaded):
    petitions = Petition.objects.filter(in_town(LIJI), received_on__year=2025)
    assert petitions.count() == 72
    assert petitions.filter(step="concluded", case__closed_on__isnull=False).count() == 72


def test_liji_carried_9_agency_cases_and_concluded_8_all_satisfied(loaded):
    cases = AgencyCase.objects.filter(in_town(LIJI), applied_on__year=2025)
    concluded = cases.filter(step="concluded").count()
    satisfied = cases.filter(satisfaction="satisfied").count()
    assert (cases.count(), concluded, satisfied) == (9, 8, 8)
    assert round(Decimal(concluded * 100) / cases.count(), 2) == Decimal("88.89")


def test_the_open_agency_case_is_overdue_today(loaded):
    open_case = AgencyCase.objects.exclude(step="concluded").get()
    assert open_case.case.due_on < timezone.localdate()


def test_today_there_is_open_work_due_within_a_week_and_work_overdue(loaded):
    today = timezone.localdate()
    open_items = WorkItem.objects.filter(closed_on__isnull=True)
    due_soon = open_items.filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(days=7))
    assert due_soon.filter(organisation__code=f"{MENGMIAO_VILLAGE}-TWH").exists()
    assert due_soon.filter(organisation__code=f"{MENGMIAO}-MTZX").exists()
    assert due_soon.filter(organisation__code="411103000000-XFJ").exists()
    overdue = open_items.filter(due_on__lt=today, opened_on__year__gt=2025)
    assert overdue.filter(organisation__code=f"{MENGMIAO_VILLAGE}-TWH").exists()
    assert overdue.filter(organisation__code=f"{MENGMIAO}-MTZX").exists()
    assert overdue.filter(organisation__code="411103000000-XFJ").exists()


def test_one_backlog_case_has_its_four_fixes_four_charges_checklist_partly_ticked(loaded):
    backlog = Backlog.objects.get()
    ticked = [code for code, done in backlog.checklist.items() if done]
    assert len(backlog.checklist) == 8 and 0 < len(ticked) < 8
    assert backlog.item.backlog and backlog.item.closed_on is None


def test_the_walk_through_case_climbs_from_the_village_mediator_to_the_town_centre(loaded):
    item = WorkItem.objects.get(title=WALK_SUMMARY)
    steps = list(item.timeline.order_by("on", "pk").values_list("action", "actor__username"))
    assert steps[0] == ("register", "tiaojie")
    assert ("escalate", "tiaojie") in steps
    assert steps[-2:] == [("resolve", "maodiao"), ("follow_up", "maodiao")]
    assert item.closed_on is not None


def test_every_village_town_and_the_county_have_their_organisations(loaded):
    kinds = Organisation.objects.values_list("region__level", "kind")
    assert sum(1 for level, kind in kinds if kind == "mediation_committee") == 183
    assert sum(1 for level, kind in kinds if level == "town" and kind == "mediation_centre") == 11
    assert {kind for level, kind in kinds if level == "county"} >= {
        "mediation_centre",
        "comprehensive_centre",
        "petition_office",
        "department",
    }
    assert Organisation.objects.filter(kind="department").count() == 20


@pytest.mark.parametrize("username,_name,_role,region,organisation,_text", DEMO_HANDLERS)
def test_a_demo_handler_logs_in_and_belongs_to_their_organisation(
    loaded, client, username, _name, _role, region, organisation, _text
):
    user = get_user_model().objects.get(username=username)
    assert organisation in set(organisations_of(user).values_list("code", flat=True))
    assert user.profile.region.code == region
    signed_in = client.post(reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302
    assert client.get(reverse("disputes:list")).status_code == 200


def test_the_handlers_are_printed_with_the_demo_logins_and_a_rerun_changes_nothing(loaded):
    assert [row[0] for row in demo_handlers_create()] == [handler[0] for handler in DEMO_HANDLERS]
    assert Organisation.objects.filter(members__username="maodiao").count() == 1


def test_the_demo_command_prints_the_handlers_logins_and_sees_only_its_own_data(loaded):
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert all(f"    {handler[0]:<12} {handler[1]}" in out.getvalue() for handler in DEMO_HANDLERS)
    assert demo_foreign_data() == []
