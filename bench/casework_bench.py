"""我的待办, the overdue list and the daily reminder job at tier M scale with a million cases.

Imports tier M's regions, departments and subjects (a province: 52,000 villages, 500,000 units; its events
are left out, since casework never reads them), places an organisation at every village (调委会), town
(矛调中心) and county (信访局), and writes one million cases (work items) in bulk, as an import of a
province's ledgers would: 70% closed, the open ones due from 30 days ago to 90 days ahead, held by the
organisation of their subject's village, town or county. Every organisation gets one account, its member
and head, with the role of its level and its region as scope (a province's staff: 54,000 accounts), so the
reminder job has someone to tell about each open item.

Then, many times each, through the same selectors the pages and the API use:
- 我的待办 of a town 矛调中心 member (the busiest kind of inbox: its organisation's open cases, first page),
  against the bare indexed query of the same rows (open items of that organisation by due date);
- the overdue list of a county leader (their subtree's overdue cases by organisation: every group's count and
  the 500 most overdue items), against the bare indexed queries of the same rows (the overdue items of the
  county's organisations counted by organisation, and the 500 most overdue of them);
and once the reminder job for the whole province on one day (a dry run, then the real run that writes the
notifications), with its run time.

    .venv/bin/python bench/casework_bench.py --db postgres            # about 10 minutes on 2 cores
    .venv/bin/python bench/casework_bench.py --db postgres --reuse    # measure again on that data (migrates)
    .venv/bin/python bench/casework_bench.py --db sqlite --cases 200000
"""

import argparse
import datetime
import random
import time

from common import machine, median, percentile, setup_django, timer
from generate import generate

TODAY = datetime.date(2025, 9, 15)


def load_places(folder, results: dict) -> dict:
    """Regions, departments and subjects of tier M through the importer (no events)."""
    from django.db import transaction

    from sanling.core.bulk import collector_paused
    from sanling.exchange.importer import BundleImporter
    from sanling.exchange.reader import read_bundle

    tables = {name: table for name, table in read_bundle(folder).items() if name != "events"}
    with timer(results, "import"), collector_paused(), transaction.atomic():
        importer = BundleImporter(tables)
        importer.validate()
        assert not importer.errors, importer.errors[:5]
        importer.plan()
        importer.write()
    return {name: len(table.rows) for name, table in tables.items()}


def organisations() -> dict[str, int]:
    """One organisation per village, town and county, in bulk: region id -> organisation id."""
    from sanling.organisations.models import Organisation
    from sanling.regions.models import Region

    kinds = {"village": "mediation_committee", "town": "mediation_centre", "county": "petition_office"}
    rows = [
        Organisation(code=f"O{code}", name=f"{name}{kinds[level]}", kind=kinds[level], region_id=pk)
        for pk, code, name, level in Region.objects.filter(level__in=kinds).values_list(
            "pk", "code", "name", "level"
        )
    ]
    Organisation.objects.bulk_create(rows, batch_size=5000)
    return dict(Organisation.objects.values_list("region_id", "pk"))


def staff(org_of_region: dict[int, int]) -> int:
    """One account per organisation, its member and its head, with the role of its level (in bulk)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from sanling.accounts.models import Profile
    from sanling.organisations.models import Organisation
    from sanling.regions.models import Region

    roles = {"village": "grid_worker", "town": "town_operator", "county": "county_admin"}
    User = get_user_model()
    unusable = make_password(None)
    levels = dict(Region.objects.filter(pk__in=list(org_of_region)).values_list("pk", "level"))
    users = User.objects.bulk_create(
        [User(username=f"staff{org_pk}", password=unusable) for org_pk in org_of_region.values()],
        batch_size=5000,
    )
    pairs = list(zip(org_of_region.items(), users, strict=True))
    Profile.objects.bulk_create(
        [
            Profile(user=user, role=roles[levels[region_pk]], region_id=region_pk)
            for (region_pk, _o), user in pairs
        ],
        batch_size=5000,
    )
    Membership = Organisation.members.through
    Membership.objects.bulk_create(
        [Membership(organisation_id=org_pk, user_id=user.pk) for (_r, org_pk), user in pairs], batch_size=5000
    )
    heads = [Organisation(pk=org_pk, head_id=user.pk) for (_r, org_pk), user in pairs]
    Organisation.objects.bulk_update(heads, ["head"], batch_size=5000)
    return len(users)


def cases(count: int, org_of_region: dict[int, int], rng: random.Random) -> None:
    """``count`` work items in bulk: each subject's case held at its village (60%), town (30%) or county."""
    from sanling.regions.models import Region
    from sanling.subjects.models import Subject
    from sanling.work.models import WorkItem

    parents = dict(Region.objects.values_list("pk", "parent_id"))
    levels = dict(Region.objects.values_list("pk", "level"))

    def holder(region_id: int, depth: int) -> int:
        node = region_id
        while levels[node] not in ("village", "town", "county"):
            node = parents[node]
        for _ in range(depth):
            if levels[node] == "county":
                break
            node = parents[node]
        return org_of_region[node]

    subjects = list(Subject.objects.values_list("pk", "region_id"))
    batch = []
    for number in range(count):
        subject_id, region_id = rng.choice(subjects)
        opened = TODAY - datetime.timedelta(days=rng.randrange(365))
        closed = rng.random() < 0.7
        batch.append(
            WorkItem(
                ref=f"C{number:08d}",
                kind="dispute" if rng.random() < 0.8 else "petition",
                subject_id=subject_id,
                title="纠纷",
                step="resolved" if closed else "mediating",
                organisation_id=holder(region_id, rng.choices((0, 1, 2), (6, 3, 1))[0]),
                opened_on=opened,
                due_on=None if closed else TODAY + datetime.timedelta(days=rng.randrange(-30, 90)),
                closed_on=min(TODAY, opened + datetime.timedelta(days=rng.randrange(60))) if closed else None,
            )
        )
        if len(batch) == 10_000:
            WorkItem.objects.bulk_create(batch)
            batch = []
    WorkItem.objects.bulk_create(batch)


def sample(function, samples: int) -> list[float]:
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def reuse_django(backend: str) -> None:
    """Point Django at the database a previous run of this benchmark left (``--reuse``) and migrate it (a new
    index is then built on the data already there)."""
    import os

    from common import DEFAULT_PG

    if backend != "postgres":
        raise SystemExit("--reuse needs --db postgres (each SQLite run has its own scratch file)")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanling.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def bench_user(username: str, role: str, region):
    """The benchmark's own account (made once; a ``--reuse`` run finds it)."""
    from django.contrib.auth import get_user_model

    from sanling.accounts.models import Profile

    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, password="bench-password-1")
        Profile.objects.create(user=user, role=role, region=region)
    return user


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure again on the data a previous PostgreSQL run left (no load)",
    )
    args = parser.parse_args()
    folder = generate("M")
    if args.reuse:
        reuse_django(args.db)
    else:
        setup_django(args.db)

    from django.db import connection
    from django.db.models import Count, Q

    from sanling.accounts.models import Profile
    from sanling.accounts.scope import scope_for
    from sanling.organisations.models import Organisation
    from sanling.regions.models import Region
    from sanling.subjects.models import Subject
    from sanling.work.models import Notification, WorkItem
    from sanling.work.reminders import remind
    from sanling.work.selectors import my_work, overdue_by_organisation

    results: dict[str, float] = {}
    if not args.reuse:
        load_places(folder, results)
        org_of_region = organisations()
        staff(org_of_region)
        with timer(results, "cases"):
            cases(args.cases, org_of_region, random.Random(17))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # As autovacuum leaves a live database: statistics, and the visibility map index-only scans need.
            cursor.execute("VACUUM ANALYZE")
    Notification.objects.all().delete()  # a --reuse run's reminder job starts from a clean day too
    # The busiest town organisation, and its county.
    town_org = (
        Organisation.objects.filter(kind="mediation_centre", work_items__closed_on__isnull=True)
        .annotate(n=Count("work_items"))
        .order_by("-n", "code")
        .first()
    )
    county = Region.objects.get(pk=town_org.region.parent_id)
    handler = bench_user("bench_town", "town_operator", town_org.region)
    town_org.members.add(handler)
    leader = bench_user("bench_leader", "viewer", county)
    county_orgs = list(
        Organisation.objects.filter(region__path__startswith=county.path).values_list("pk", flat=True)
    )

    def inbox():
        return list(my_work(handler)[:50])

    def inbox_bare():
        return list(
            WorkItem.objects.filter(organisation=town_org, closed_on__isnull=True)
            .order_by("due_on", "ref")
            .values_list("pk", "ref", "due_on")[:50]
        )

    def overdue():
        # As the page does: the leader's scope (one query), then the selector.
        return overdue_by_organisation(scope_for(leader), on=TODAY)

    def overdue_bare():
        rows = WorkItem.objects.filter(
            organisation_id__in=county_orgs, closed_on__isnull=True, due_on__lt=TODAY
        )
        counts = list(rows.order_by().values("organisation_id").annotate(n=Count("pk")))
        items = list(
            rows.order_by("due_on", "ref").values_list("pk", "ref", "due_on", "organisation_id")[:500]
        )
        return counts, items

    # The selector and its reference read the same rows.
    assert [item.ref for item in inbox()] == [row[1] for row in inbox_bare()]
    groups, (bare_counts, bare_items) = overdue(), overdue_bare()
    assert sum(group.count for group in groups) == sum(row["n"] for row in bare_counts)
    assert sorted(item.ref for group in groups for item in group.items) == sorted(
        row[1] for row in bare_items
    )

    timings = {}
    for name, function in (
        ("inbox", inbox),
        ("inbox_bare", inbox_bare),
        ("overdue", overdue),
        ("overdue_bare", overdue_bare),
    ):
        function()  # warm
        taken = sample(function, args.samples)
        timings[name] = percentile(taken, 0.99) * 1000
        timings[f"{name}_median"] = median(taken) * 1000
    with timer(results, "remind_dry"):
        dry = remind(on=TODAY, dry_run=True)
    with timer(results, "remind"):
        done = remind(on=TODAY)
    with timer(results, "remind_again"):
        again = remind(on=TODAY)
    work = WorkItem.objects.aggregate(
        all=Count("pk"),
        open=Count("pk", filter=Q(closed_on__isnull=True)),
        overdue=Count("pk", filter=Q(closed_on__isnull=True, due_on__lt=TODAY)),
    )
    print(f"# casework benchmark, {args.db}, {machine()}")
    print(
        f"scale: {Region.objects.count():,} regions, {Subject.objects.count():,} subjects, "
        f"{Organisation.objects.count():,} organisations, {Profile.objects.count():,} accounts, "
        f"{work['all']:,} cases ({work['open']:,} open, {work['overdue']:,} overdue); today {TODAY}; "
        f"{args.samples} samples each"
        + (
            f"; load: places {results['import']:.0f} s, cases {results['cases']:.0f} s"
            if "cases" in results
            else " (--reuse: data of an earlier run)"
        )
    )
    inbox_open = WorkItem.objects.filter(organisation=town_org, closed_on__isnull=True).count()
    print(
        f"我的待办 ({town_org.name}, {inbox_open:,} open, first 50): p99 {timings['inbox']:.1f} ms, "
        f"bare indexed query p99 {timings['inbox_bare']:.1f} ms, ratio {timings['inbox'] / timings['inbox_bare']:.1f}x; "
        f"median {timings['inbox_median']:.1f} ms vs {timings['inbox_bare_median']:.1f} ms, "
        f"ratio {timings['inbox_median'] / timings['inbox_bare_median']:.1f}x"
    )
    print(
        f"overdue by organisation ({county.name} leader, {sum(g.count for g in groups):,} overdue in "
        f"{len(groups)} organisations): p99 {timings['overdue']:.1f} ms, bare indexed queries p99 "
        f"{timings['overdue_bare']:.1f} ms, ratio {timings['overdue'] / timings['overdue_bare']:.1f}x; "
        f"median {timings['overdue_median']:.1f} ms vs {timings['overdue_bare_median']:.1f} ms, "
        f"ratio {timings['overdue_median'] / timings['overdue_bare_median']:.1f}x"
    )
    print(
        f"reminder job, whole province: dry run {results['remind_dry']:.1f} s, run {results['remind']:.1f} s "
        f"({done.notifications:,} notifications: {done.due_soon:,} due soon, {done.overdue:,} overdue, "
        f"{done.overdue_head:,} to heads; {done.users:,} users), run again the same day "
        f"{results['remind_again']:.1f} s ({again.notifications} new, {again.already_sent:,} already sent); "
        f"dry run agreed: {dry.notifications == done.notifications}"
    )


if __name__ == "__main__":
    main()
