"""How a report words its comparisons: against the target, last year and the previous period."""

from decimal import Decimal

from sanling.assessment.periods import Period
from sanling.reports.content import period_label, points, previous_period, same_period_last_year, target_text


def test_no_target_is_said_so():
    assert target_text(Decimal("90.71"), None) == "未设目标"


def test_a_rate_above_or_below_its_target_gives_the_gap_in_points():
    assert target_text(Decimal("90.71"), Decimal("80")) == "目标80%，高于目标10.71个百分点"
    assert target_text(Decimal("77.50"), Decimal("80")) == "目标80%，低于目标2.50个百分点"


def test_a_change_is_said_in_points():
    assert points(Decimal("90.71"), Decimal("88.00")) == "上升2.71个百分点"
    assert points(Decimal("88.00"), Decimal("90.71")) == "下降2.71个百分点"
    assert points(Decimal("90.71"), Decimal("90.71")) == "持平"
    assert points(Decimal("90.71"), None) == "无可比数据"


def test_the_periods_compared_with():
    assert same_period_last_year(Period.parse("2025-03")) == Period.parse("2024-03")
    assert same_period_last_year(Period.parse("2025Q2")) == Period.parse("2024Q2")
    assert previous_period(Period.parse("2025-01")) == Period.parse("2024-12")
    assert previous_period(Period.parse("2025Q1")) == Period.parse("2024Q4")


def test_periods_are_named_as_official_documents_name_them():
    assert period_label(Period.parse("2025")) == "2025年"
    assert period_label(Period.parse("2025Q1")) == "2025年第一季度"
    assert period_label(Period.parse("2025-03")) == "2025年3月"
