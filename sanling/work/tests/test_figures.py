"""The casework figures of a region and period, computed by hand here: 化解率 as the engine counts it, how much
stays in 孟庙镇's 三级过滤网 ("小事不出村、大事不出乡"), 中站区's 信访代理 ("共代理案件9起，办结率和满意率均达到
89%"), 李集镇's "共接待信访案件72件，全部得到有效化解", 增量 and 存量 (孟庙镇: "信访案件存量明显减少，增量持续
走低"), and the work overdue on a day.

``personas`` registers one open dispute in each town on 2025-03-03 (金牛 in 沙北街道, 东湾 in 商桥镇), due
for mediation 30 days later (2025-04-02) under the default 《信访工作条例》 rules; the figures below count them.
"""

import datetime
import json
import os
import subprocess
import sys
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from sanling.accounts.scope import scope_for
from sanling.assessment.periods import Period
from sanling.assessment.selectors import dispute_rate
from sanling.disputes.services import dispute_create, dispute_escalate, dispute_fail, dispute_resolve
from sanling.petitions.services import (
    agency_advance,
    agency_create,
    backlog_flag,
    petition_accept,
    petition_conclude,
    petition_create,
    petition_escalate,
    petition_reply,
)
from sanling.subjects.services import subject_create
from sanling.work.figures import case_figures, overdue_items

pytestmark = pytest.mark.django_db


def day(month: int, date: int) -> datetime.date:
    return datetime.date(2025, month, date)


MARCH = Period.parse("2025-03")


def figures(region, period: str, **kwargs):
    return case_figures(region=region, period=Period.parse(period), **kwargs)


@pytest.fixture
def filter_net(casework):
    """Five more disputes in 东湾村 registered on 2025-03-04, each taken up the 三级过滤网 as far as it goes:
    resolved at 组, at 村, at 镇, at the county, and one 调解不成."""
    village = casework["dongwan_village"]

    def registered(summary: str):
        return dispute_create(subject=village, reported_on=day(3, 4), summary=summary)

    dispute_resolve(dispute=registered("宅基地边界"), on=day(3, 5), method="people")
    climbing = []
    for summary, top in (("排水沟", "village"), ("土地流转", "town"), ("征地补偿", "county")):
        dispute = registered(summary)
        for on, level in zip((day(3, 5), day(3, 6), day(3, 7)), ("village", "town", "county"), strict=False):
            dispute = dispute_escalate(dispute=dispute, on=on, to_level=level)
            if level == top:
                break
        climbing.append(dispute_resolve(dispute=dispute, on=day(3, 8), method="administrative"))
    dispute_fail(dispute=registered("邻里口角"), on=day(3, 5))
    return casework


def test_the_resolution_rate_is_resolved_over_registered(filter_net):
    result = figures(filter_net["shangqiao"], "2025-03")
    # personas' open dispute + 5: resolved at 组, 村, 镇, 县; one failed.
    assert (result.disputes_registered, result.disputes_resolved) == (6, 4)
    assert result.dispute_rate == Decimal("66.67")


@pytest.mark.parametrize("where", ["shangqiao", "county", "dongwan", "shabei"])
@pytest.mark.parametrize("period", ["2025-03", "2025Q1", "2025", "2025-04"])
def test_the_resolution_rate_is_the_engines_dispute_rate(filter_net, where, period):
    region, parsed = filter_net[where], Period.parse(period)
    result = case_figures(region=region, period=parsed)
    assert (result.disputes_registered, result.disputes_resolved, result.dispute_rate) == dispute_rate(
        region=region, period=parsed
    )


def test_a_dispute_counts_where_its_subject_stood_at_the_end_of_the_period_as_the_engine_counts_it(casework):
    from sanling.subjects.services import subject_update

    factory = casework["factory"]  # 东湾食品厂 in 商桥镇
    dispute_create(subject=factory, reported_on=day(3, 10), summary="工伤赔偿")
    subject_update(subject=factory, version=None, region=casework["jinniu"], moved_on=day(4, 15))
    for where in ("shangqiao", "shabei"):
        for period in ("2025-03", "2025"):
            region, parsed = casework[where], Period.parse(period)
            result = case_figures(region=region, period=parsed)
            expected = dispute_rate(region=region, period=parsed)
            assert (result.disputes_registered, result.disputes_resolved) == expected[:2]
    assert figures(casework["shangqiao"], "2025-03").disputes_registered == 2  # 东湾村's and the factory's
    assert (
        figures(casework["shabei"], "2025").disputes_registered == 2
    )  # 金牛's and, by the year's end, the factory's


def test_not_leaving_the_village_is_resolved_at_group_or_village_over_resolved(filter_net):
    result = figures(filter_net["shangqiao"], "2025-03")
    assert result.resolved_in_village == 2
    assert result.village_share == Decimal("50.00")


def test_not_leaving_the_town_is_resolved_at_group_village_or_town_over_resolved(filter_net):
    result = figures(filter_net["county"], "2025Q1")
    assert result.resolved_in_town == 3
    assert result.town_share == Decimal("75.00")


def test_a_rate_with_nothing_to_divide_is_none_not_an_error(filter_net):
    result = figures(filter_net["shangqiao"], "2025-05")
    assert result.disputes_registered == 0
    assert result.dispute_rate is result.village_share is result.town_share is None
    assert result.first_rate is result.conclusion_rate is result.satisfaction_rate is None
    assert result.agency_conclusion_rate is result.agency_satisfaction_rate is None
    assert result.as_dict()["dispute_rate"] is None


def test_zhongzhan_agency_nine_cases_eight_concluded_is_88_89_for_both_rates(casework):
    """中站区: "共代理案件9起，办结率和满意率均达到89%" — 8 of 9 concluded, 8 satisfied."""
    for number in range(9):
        case = agency_create(
            subject=casework["dongwan_village"], applied_on=day(4, 1), summary=f"代理事项{number}"
        )
        if number == 8:
            continue  # still being handled
        case = agency_advance(agency=case, on=day(4, 2), agent_name="王代理")
        for on in (day(4, 3), day(4, 4), day(4, 5)):
            case = agency_advance(agency=case, on=on)
        agency_advance(agency=case, on=day(4, 6), satisfaction="satisfied")
    result = figures(casework["shangqiao"], "2025")
    assert (result.agency_cases, result.agency_concluded, result.agency_satisfied) == (9, 8, 8)
    assert result.agency_conclusion_rate == result.agency_satisfaction_rate == Decimal("88.89")


def test_lijizhen_72_petitions_all_concluded_is_100_00(casework):
    """李集镇: "共接待信访案件72件，全部得到有效化解"."""
    for number in range(72):
        petition = petition_create(
            subject=casework["dongwan_village"],
            received_on=day(5, 1),
            level="town",
            channel="visit",
            summary=f"信访{number}",
        )
        petition = petition_accept(petition=petition, on=day(5, 2))
        petition = petition_reply(petition=petition, on=day(5, 8))
        petition_conclude(petition=petition, on=day(5, 10), satisfaction="satisfied")
    result = figures(casework["shangqiao"], "2025Q2")
    assert (result.petitions_received, result.petitions_concluded) == (72, 72)
    assert result.conclusion_rate == result.first_rate == result.satisfaction_rate == Decimal("100.00")


def _petition(casework, summary: str, *, repeat=False, satisfaction=None, **fields):
    petition = petition_create(
        subject=casework["dongwan_village"],
        received_on=day(6, 2),
        level="town",
        channel="letter",
        summary=summary,
        repeat=repeat,
        **fields,
    )
    if satisfaction is not None:
        petition = petition_accept(petition=petition, on=day(6, 3))
        petition = petition_reply(petition=petition, on=day(6, 15))
        petition = petition_conclude(petition=petition, on=day(6, 20), satisfaction=satisfaction)
    return petition


def test_first_petitions_resolved_counts_only_first_petitions(casework):
    """初信初访化解率: of the 4 first petitions 3 are concluded; the 2 repeat ones do not count."""
    for summary, satisfaction in (
        ("一", "satisfied"),
        ("二", "basically"),
        ("三", "unsatisfied"),
        ("四", None),
    ):
        _petition(casework, summary, satisfaction=satisfaction)
    _petition(casework, "重复一", repeat=True, satisfaction="satisfied")
    _petition(casework, "重复二", repeat=True, satisfaction="")
    result = figures(casework["shangqiao"], "2025-06")
    assert (result.first_petitions, result.first_concluded) == (4, 3)
    assert result.first_rate == Decimal("75.00")
    assert result.conclusion_rate == Decimal("83.33")  # 5 of 6
    # 满意率: satisfied or basically satisfied over every petition received: 3 of 6.
    assert result.satisfaction_rate == Decimal("50.00")


def test_bypassing_and_collective_petitions_are_counted(casework):
    _petition(casework, "集体讨薪", collective=True, people_count=12)
    escalated = _petition(casework, "越级上访")
    petition_escalate(petition=escalated, on=day(6, 5), level="county", bypass=True)
    _petition(casework, "普通来信")
    result = figures(casework["county"], "2025")
    assert (result.petitions_received, result.bypass, result.collective) == (3, 1, 1)


@pytest.fixture
def brickworks(casework):
    """A unit of 东湾村 in the campaign since 2025-01-01, so its cases may start before personas' day."""
    return subject_create(
        code="U9",
        name="商桥砖厂",
        kind="enterprise",
        category="factory_mine",
        region=casework["dongwan"],
        department=casework["safety"],
        joined_on=day(1, 1),
    )


def test_increment_and_stock_across_a_quarter_boundary(casework, brickworks):
    """Q1: X (02-10 → 03-20), Y (03-15, open), Z (03-20 → 04-10) and personas' 东湾 dispute (03-03, open) are
    new; Q2: only W (05-05) is new, and Y, Z and the 东湾 dispute were open on 04-01."""

    def dispute(on, summary):
        return dispute_create(subject=brickworks, reported_on=on, summary=summary)

    dispute_resolve(dispute=dispute(day(2, 10), "X"), on=day(3, 20), method="people")
    dispute(day(3, 15), "Y")
    dispute_resolve(dispute=dispute(day(3, 20), "Z"), on=day(4, 10), method="people")
    dispute(day(5, 5), "W")
    first, second = figures(casework["shangqiao"], "2025Q1"), figures(casework["shangqiao"], "2025Q2")
    assert (first.increment, first.stock) == (4, 0)
    assert (second.increment, second.stock) == (1, 3)


def test_backlog_stock_counts_cases_on_the_ledger_before_the_period(casework, brickworks):
    dispute = dispute_create(subject=brickworks, reported_on=day(2, 10), summary="积案")
    backlog_flag(
        item=dispute.case,
        on=day(3, 16),
        responsible_organisation=casework["org_shangqiao"],
        responsible_person="张三",
        leader="李书记",
        deadline=day(6, 30),
    )
    assert figures(casework["shangqiao"], "2025Q1").backlog_stock == 0
    assert figures(casework["shangqiao"], "2025Q2").backlog_stock == 1


@pytest.fixture
def late(casework):
    """On 2025-04-10 in 商桥镇: personas' 东湾 dispute (due 04-02) and a petition received 03-20 (受理告知 due
    15 days later, 04-04) are overdue; a resolved dispute and one registered 04-09 are not."""
    petition = petition_create(
        subject=casework["dongwan_village"],
        received_on=day(3, 20),
        level="town",
        channel="visit",
        summary="拖欠工资",
        organisation=casework["org_shangqiao"],
        handler=casework["town_b"],
    )
    done = dispute_create(subject=casework["dongwan_village"], reported_on=day(3, 5), summary="已化解")
    dispute_resolve(dispute=done, on=day(3, 6), method="people")
    dispute_create(subject=casework["dongwan_village"], reported_on=day(4, 9), summary="刚登记")
    return {**casework, "petition": petition}


def test_overdue_lists_open_cases_past_due_on_a_day_most_overdue_first(late):
    rows = overdue_items(region=late["shangqiao"], on=day(4, 10))
    assert [(row.ref, row.due_on, row.days_overdue) for row in rows] == [
        (late["dispute_b"].ref, day(4, 2), 8),
        (late["petition"].ref, day(4, 4), 6),
    ]
    assert (rows[1].organisation, rows[1].handler) == ("商桥镇矛调中心", "town_b")


def test_nothing_is_overdue_on_its_due_date(late):
    assert [row.ref for row in overdue_items(region=late["shangqiao"], on=day(4, 2))] == []


def test_the_period_figures_count_overdue_work_on_the_periods_last_day(late):
    result = figures(late["shangqiao"], "2025-04")
    assert result.overdue_on == day(4, 30)
    assert (result.overdue_disputes, result.overdue_petitions, result.overdue_agency) == (1, 1, 0)
    assert figures(late["county"], "2025-04").overdue == 3  # and 金牛's in 沙北街道


def test_a_town_sees_only_its_subtree(late):
    """Asked for the whole county, town_a's scope counts 沙北街道's cases only."""
    mine = figures(late["county"], "2025", scope=scope_for(late["town_a"]))
    everything = figures(late["county"], "2025")
    assert (mine.disputes_registered, mine.petitions_received, mine.overdue) == (1, 0, 1)
    assert (everything.disputes_registered, everything.petitions_received) == (4, 1)
    assert [
        row.ref
        for row in overdue_items(region=late["county"], on=day(4, 10), scope=scope_for(late["town_a"]))
    ] == [late["dispute_a"].ref]


def test_a_department_user_counts_its_own_units_only(casework):
    dispute_create(subject=casework["school"], reported_on=day(3, 10), summary="校园纠纷")
    dispute_create(subject=casework["factory"], reported_on=day(3, 10), summary="工厂纠纷")
    assert figures(casework["county"], "2025-03", scope=scope_for(casework["dept"])).disputes_registered == 1
    assert figures(casework["county"], "2025-03", department=casework["safety"]).disputes_registered == 1
    assert figures(casework["county"], "2025-03").disputes_registered == 4


# The dashboard panel.


def _dashboard(client, user, region, period="2025-03"):
    client.force_login(user)
    return client.get(reverse("dashboard:region", kwargs={"code": region.code}) + f"?period={period}")


def test_the_dashboard_shows_the_panel_for_the_region_and_period_viewed(client, filter_net):
    page = _dashboard(client, filter_net["admin_user"], filter_net["shangqiao"]).content.decode()
    assert 'id="casework"' in page
    assert "4/6" in page and "66.67%" in page  # 化解率
    assert "2/4" in page and "50.00%" in page  # 不出村
    assert "3/4" in page and "75.00%" in page  # 不出镇
    assert "style=" not in page.split('id="casework"')[1].split("</section>")[0]  # strict CSP


def test_the_dashboard_panel_of_a_town_counts_its_own_cases(client, filter_net):
    page = _dashboard(client, filter_net["town_a"], filter_net["shabei"]).content.decode()
    panel = page.split('id="casework"')[1].split("</section>")[0]
    assert "0/1" in panel  # 金牛's one open dispute, none of 商桥镇's
    assert _dashboard(client, filter_net["town_a"], filter_net["shangqiao"]).status_code == 404


def test_the_dashboard_shows_a_dash_for_a_rate_with_nothing_to_divide(client, casework):
    page = _dashboard(client, casework["admin_user"], casework["county"], "2025-05").content.decode()
    panel = page.split('id="casework"')[1].split("</section>")[0]
    assert "—" in panel and "0/0" in panel


# The console command.


def _cases(*arguments: str) -> str:
    out = StringIO()
    call_command("cases", *arguments, stdout=out)
    return out.getvalue()


def test_cases_stats_json_gives_every_figure(filter_net):
    data = json.loads(
        _cases("stats", "--region", filter_net["shangqiao"].code, "--period", "2025-03", "--format", "json")
    )
    assert data["region_code"] == filter_net["shangqiao"].code and data["period"] == "2025-03"
    assert (data["disputes_registered"], data["disputes_resolved"], data["dispute_rate"]) == (6, 4, 66.67)
    assert (data["village_share"], data["town_share"], data["first_rate"]) == (50.0, 75.0, None)


def test_cases_stats_csv_is_a_header_and_one_row(filter_net):
    lines = _cases(
        "stats", "--region", filter_net["county"].code, "--period", "2025Q1", "--format", "csv"
    ).splitlines()
    assert len(lines) == 2
    row = dict(zip(lines[0].split(","), lines[1].split(","), strict=True))
    assert (row["disputes_registered"], row["dispute_rate"], row["first_rate"]) == ("7", "57.14", "")


def test_cases_stats_table_shows_a_dash_for_an_empty_rate(filter_net):
    table = _cases("stats", "--region", filter_net["county"].code, "--period", "2025-05")
    assert "化解率" in table and "—" in table


def test_cases_overdue_json_and_csv_list_the_columns(late):
    code = late["shangqiao"].code
    rows = json.loads(_cases("overdue", "--region", code, "--on", "2025-04-10", "--format", "json"))
    assert [list(row) for row in rows][0] == [
        "ref",
        "kind",
        "step",
        "due_on",
        "days_overdue",
        "organisation",
        "handler",
    ]
    assert [(row["ref"], row["due_on"], row["days_overdue"]) for row in rows] == [
        (late["dispute_b"].ref, "2025-04-02", 8),
        (late["petition"].ref, "2025-04-04", 6),
    ]
    lines = _cases("overdue", "--region", code, "--on", "2025-04-10", "--format", "csv").splitlines()
    assert lines[0] == "ref,kind,step,due_on,days_overdue,organisation,handler"
    assert lines[2].endswith(",2025-04-04,6,商桥镇矛调中心,town_b")


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
def test_cases_refuses_bad_input_in_chinese(casework, arguments, message):
    with pytest.raises(CommandError, match=message):
        _cases(*arguments)


@pytest.mark.parametrize(
    "arguments",
    [
        ("stats", "--region", "411103000000", "--period", "2025Q7"),
        ("overdue", "--region", "411103000000", "--on", "2025-13-01"),
    ],
)
def test_sanling_cases_exits_1_with_one_chinese_line_on_bad_input(tmp_path, arguments):
    """The real console entry point in a child process (bad input is refused before the database is read)."""
    environment = {**os.environ, "SANLING_VAR_DIR": str(tmp_path)}
    finished = subprocess.run(
        [sys.executable, "-m", "sanling.cli", "cases", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode == 1
    assert finished.stderr.startswith("CommandError: “") and "不是有效" in finished.stderr
    assert finished.stdout == ""
