import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sanling.accounts.scope import scope_for
from sanling.alerts.selectors import subject_warnings
from sanling.assessment.periods import Period
from sanling.assessment.selectors import department_rows, rate_percent, rates_for
from sanling.assignments.selectors import assignment_figures
from sanling.core.concurrency import StaleVersion
from sanling.reviews.models import ItemKind, MonthlyReview, ReviewItem, ReviewStatus
from sanling.reviews.services import review_create, review_finalise, review_note, review_refresh

from .conftest import APRIL, TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def combined(region, period):
    rows = rates_for(scope=None, region=region, period=period)
    return rate_percent(sum(row.compliant for row in rows), sum(row.active for row in rows))


def towns(review):
    return list(review.items.filter(kind=ItemKind.REGION))


def test_towns_are_ranked_on_the_engines_combined_rate_with_the_change_on_last_month(review_world):
    review = review_create(region=review_world["county"], month=APRIL, today=TODAY)
    april, march = Period.parse("2025-04"), Period.parse("2025-03")
    items = towns(review)
    assert [(item.name, item.rank) for item in items] == [("沙北街道", 1), ("商桥镇", 2)]
    for item in items:
        assert item.rate == combined(item.region, april)
        assert item.previous_rate == combined(item.region, march)
        assert item.change == item.rate - item.previous_rate
    shabei, shangqiao = items
    assert (shabei.compliant, shabei.active, shabei.rate, shabei.change) == (
        2,
        2,
        Decimal("100.00"),
        Decimal("50.00"),
    )
    assert (shangqiao.compliant, shangqiao.active, shangqiao.rate, shangqiao.change) == (
        1,
        2,
        Decimal("50.00"),
        Decimal("0.00"),
    )


def test_departments_are_ranked_on_their_units_rate_and_equal_rates_share_a_rank(review_world):
    review = review_create(region=review_world["county"], month=APRIL, today=TODAY)
    items = list(review.items.filter(kind=ItemKind.DEPARTMENT))
    engine = {
        row.department_code: row
        for row in department_rows(region=review_world["county"], period=Period.parse(APRIL))
    }
    assert [(item.code, item.rank, item.rate) for item in items] == [
        ("JY", 1, Decimal("100.00")),
        ("YJ", 1, Decimal("100.00")),
    ]
    assert {item.code: item.rate for item in items} == {code: row.rate for code, row in engine.items()}
    safety = items[1]
    assert (safety.previous_rate, safety.change) == (Decimal("0.00"), Decimal("100.00"))


def test_overdue_work_and_open_backlog_are_counted_where_the_subjects_stand(review_world):
    review = review_create(region=review_world["county"], month=APRIL, today=TODAY)
    assert review.figures_on == datetime.date(2025, 4, 30)
    shabei, shangqiao = towns(review)
    assert (shabei.overdue, shabei.backlog) == (1, 0)
    assert (shangqiao.overdue, shangqiao.backlog) == (0, 1)


def test_warnings_and_assignments_are_the_contracts_figures(review_world):
    review = review_create(region=review_world["county"], month=APRIL, today=TODAY)
    for item in towns(review):
        warnings = subject_warnings(region=item.region, on=review.figures_on)
        assert item.warnings_red == sum(warning.colour == "red" for warning in warnings)
        assert item.warnings_orange == sum(warning.colour == "orange" for warning in warnings)
        given = assignment_figures(region=item.region, period=Period.parse(APRIL))
        assert (item.assignments_total, item.assignments_done) == (given.total, given.done)


def test_a_town_reviews_its_villages(review_world):
    review = review_create(region=review_world["shangqiao"], month=APRIL, today=TODAY)
    assert [(item.name, item.rate) for item in towns(review)] == [
        ("东湾村", Decimal("50.00"))
    ]  # 东湾村 fails, 东湾食品厂 holds


def test_figures_stay_frozen_until_a_draft_is_refreshed_and_notes_survive_it(review_world):
    from sanling.events.services import event_create

    review = review_create(region=review_world["county"], month=APRIL, today=TODAY)
    shabei = towns(review)[0]
    review_note(item=shabei, note="继续保持", version=shabei.version)
    event_create(
        subject=review_world["school"],
        type="criminal_case",
        occurred_on=datetime.date(2025, 4, 20),
        title="校园盗窃",
    )
    assert ReviewItem.objects.get(pk=shabei.pk).rate == Decimal("100.00")
    review_refresh(review=review, today=TODAY)
    items = towns(review)
    assert [(item.name, item.rank, item.rate) for item in items] == [
        ("沙北街道", 1, Decimal("50.00")),
        ("商桥镇", 1, Decimal("50.00")),
    ]
    assert ReviewItem.objects.get(pk=shabei.pk).note == "继续保持"


def test_a_note_written_on_a_stale_version_changes_nothing(review_world):
    review = review_create(region=review_world["county"], month=APRIL, today=TODAY)
    item = towns(review)[1]
    review_note(item=item, note="第一稿", version=item.version)
    with pytest.raises(StaleVersion):
        review_note(item=item, note="第二稿", version=item.version)
    assert ReviewItem.objects.get(pk=item.pk).note == "第一稿"


def test_a_final_review_is_read_only(review_world):
    review = review_create(region=review_world["county"], month=APRIL, today=TODAY)
    review = review_finalise(review=review)
    assert review.status == ReviewStatus.FINAL
    item = towns(review)[0]
    for write in (
        lambda: review_note(item=item, note="改", version=item.version),
        lambda: review_refresh(review=review, today=TODAY),
        lambda: review_finalise(review=review),
    ):
        with pytest.raises(ValidationError, match="final"):
            write()
    assert ReviewItem.objects.get(pk=item.pk).note == ""


@pytest.mark.parametrize(
    "month, region_key, problem",
    [
        ("2025-13", "county", "not a period"),
        ("2025", "county", "month"),
        ("2025Q2", "county", "month"),
        ("2025-06", "county", "has not begun"),
        ("2025-04", "dongwan", "county or a town"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(review_world, month, region_key, problem):
    with pytest.raises(ValidationError, match=problem):
        review_create(region=review_world[region_key], month=month, today=TODAY)
    assert not MonthlyReview.objects.exists()


def test_a_month_is_reviewed_once(review_world):
    review_create(region=review_world["county"], month=APRIL, today=TODAY)
    with pytest.raises(ValidationError, match="already has a review"):
        review_create(region=review_world["county"], month=APRIL, today=TODAY)
    assert MonthlyReview.objects.count() == 1


def test_only_a_supervisor_of_the_region_holds_or_notes_a_review(review_world):
    with pytest.raises(ValidationError, match="outside your area"):
        review_create(
            region=review_world["shangqiao"],
            month=APRIL,
            scope=scope_for(review_world["town_a"]),
            today=TODAY,
        )
    with pytest.raises(ValidationError, match="does not hold"):
        review_create(
            region=review_world["county"], month=APRIL, scope=scope_for(review_world["viewer"]), today=TODAY
        )
    review = review_create(
        region=review_world["county"], month=APRIL, scope=scope_for(review_world["admin_user"]), today=TODAY
    )
    item = towns(review)[0]
    with pytest.raises(ValidationError, match="outside your area"):
        review_note(item=item, note="越权", version=item.version, scope=scope_for(review_world["town_a"]))
    assert ReviewItem.objects.get(pk=item.pk).note == ""
