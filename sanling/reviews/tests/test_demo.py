import datetime

import pytest

from sanling.reviews.demo import demo_load
from sanling.reviews.models import MonthlyReview

pytestmark = pytest.mark.django_db


def test_the_demo_holds_last_months_review_of_the_county_with_notes(casework):
    demo_load(county=casework["county"], today=datetime.date(2025, 5, 6))
    review = MonthlyReview.objects.get()
    assert (review.region, review.month) == (casework["county"], "2025-04")
    assert review.items.exclude(note="").count() >= 2
    demo_load(county=casework["county"], today=datetime.date(2025, 5, 6))  # again: nothing more
    assert MonthlyReview.objects.count() == 1
