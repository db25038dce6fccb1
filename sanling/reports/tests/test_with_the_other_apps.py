"""The 播报 reads the other apps of issue 16 as they are: the county's target, the 四色预警 lists, the 交办 and
the 四函 — each a figure the county office reads out, so each is checked against what was recorded."""

import datetime

import pytest

from sanling.assessment.periods import Period
from sanling.documents import render
from sanling.reports.content import report_document
from sanling.reports.tests.conftest import docx_text

pytestmark = pytest.mark.django_db

MARCH = Period.month(2025, 3)


def bulletin_text(world) -> str:
    document = report_document(
        kind="bulletin", region=world["county"], period=MARCH, today=datetime.date(2025, 4, 2)
    )
    return docx_text(render(document, "docx"))


def test_the_bulletin_measures_the_villages_against_the_countys_target(casework):
    from sanling.targets.services import target_set

    target_set(year=2025, region=casework["county"], group="village", indicator="rate", value="80")
    text = bulletin_text(casework)
    assert "目标80%" in text
    assert "未设目标" in text  # 企事业 has none in this county


def test_the_bulletin_lists_the_subjects_red_on_the_periods_last_day_with_their_reasons(casework):
    # 金牛盗窃案 (V1 金牛社区) on 2025-03-03: a broken zero within the default rule's 30 days of 2025-03-31.
    text = bulletin_text(casework)
    assert "金牛社区" in text
    assert "近30天破零" in text


def test_the_bulletin_counts_the_periods_assignments_and_letters(casework, tmp_path):
    from sanling.assignments.services import assignment_create
    from sanling.supervision.services import FindingInput, visit_create

    assignment_create(
        giver_region=casework["county"],
        organisation=casework["org_shabei"],
        issue="金牛社区盗窃案后夜间巡防",
        due_on=datetime.date(2025, 3, 20),
        given_on=datetime.date(2025, 3, 10),
    )
    visit_create(
        region=casework["shabei"],
        visited_on=datetime.date(2025, 3, 12),
        visitors="区委政法委督查组",
        findings=[FindingInput(subject=casework["jinniu_village"], text="落实不细不实")],
    )
    text = bulletin_text(casework)
    assert "本期交办1件，已办结0件，未办结1件，其中逾期1件。" in text
    assert "提醒函 1 0 0 0 0" in text  # proposed, not yet issued
