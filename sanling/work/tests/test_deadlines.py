"""Deadlines on the calendar: "3个月内" is three calendar months, not 90 days."""

import datetime

import pytest

from sanling.work.deadlines import add_months, add_period, days_overdue

D = datetime.date


@pytest.mark.parametrize(
    ("start", "amount", "unit", "due"),
    [
        (D(2025, 3, 1), 7, "days", D(2025, 3, 8)),  # the seed's "7日内回复"
        (D(2025, 3, 1), 3, "months", D(2025, 6, 1)),  # "3个月内答复办理结果", not 90 days (05-30)
        (D(2025, 1, 31), 1, "months", D(2025, 2, 28)),  # a month without the 31st ends on its last day
        (D(2024, 1, 31), 1, "months", D(2024, 2, 29)),  # leap year
        (D(2025, 11, 30), 3, "months", D(2026, 2, 28)),  # across a year end
        (D(2025, 12, 15), 60, "days", D(2026, 2, 13)),  # 《信访工作条例》 办理 60 days
        (D(2024, 2, 29), 12, "months", D(2025, 2, 28)),
    ],
)
def test_add_period_counts_calendar_days_and_months(start, amount, unit, due):
    assert add_period(start, amount, unit) == due


def test_an_extension_of_thirty_days_after_sixty():
    due = add_period(D(2025, 3, 1), 60, "days")
    assert (due, add_period(due, 30, "days")) == (D(2025, 4, 30), D(2025, 5, 30))


def test_months_can_be_added_across_many_years():
    assert add_months(D(2023, 8, 31), 18) == D(2025, 2, 28)


def test_days_overdue_is_zero_on_the_due_day_and_counts_after():
    assert [days_overdue(D(2025, 3, 8), day) for day in (D(2025, 3, 7), D(2025, 3, 8), D(2025, 3, 10))] == [
        0,
        0,
        2,
    ]
    assert days_overdue(None, D(2025, 3, 8)) == 0


def test_a_step_says_on_screen_the_level_it_went_to_and_how_it_was_settled():
    from django.utils import translation

    from sanling.work.selectors import detail_text

    with translation.override("zh-hans"):
        assert detail_text({"from_level": "village", "to_level": "town"}) == "层级：乡镇"
        assert detail_text({"level": "village", "method": "people"}) == "层级：村 · 方式：人民调解"
        assert detail_text({"satisfaction": "satisfied"}) == "满意度：满意"
        assert detail_text({}) == ""
