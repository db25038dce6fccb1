"""Policy versions are data with an effective date; a new one never silently rewrites history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanling.assessment.models import Policy
from sanling.assessment.periods import Period
from sanling.assessment.selectors import region_rates
from sanling.assessment.services import assessment_check, policy_create

from .conftest import petition


def village_compliant(region, period):
    (row,) = region_rates(region=region, period=Period.parse(period), group="village")
    return row.compliant


def test_version_1_is_the_default_policy_of_the_design(db):
    policy = Policy.objects.get(version=1)
    assert policy.petition_levels == ["county", "city", "province", "national"]
    assert policy.exempt_higher_authority is True
    assert policy.accident_types == ["accident", "public_safety"]
    assert policy.case_types == ["criminal_case", "security_case"]


def test_a_version_taking_effect_in_the_past_is_refused_without_a_recompute(world):
    with pytest.raises(ValidationError):
        policy_create(effective_from=datetime.date(2021, 7, 1), petition_levels=["town", "county"])
    assert Policy.objects.count() == 1


def test_a_new_version_must_come_after_the_current_one(world):
    with pytest.raises(ValidationError):
        policy_create(effective_from=datetime.date(1899, 1, 1), recompute=True)


def test_a_backdated_version_applies_to_its_periods_only_when_a_recompute_is_asked(world):
    petition(world["community"], datetime.date(2021, 3, 3), level="town")
    petition(world["community"], datetime.date(2021, 8, 3), level="town")
    policy_create(
        effective_from=datetime.date(2021, 7, 1), petition_levels=["town", "county"], recompute=True
    )
    # March is judged by version 1 (town petitions do not break), August by version 2.
    assert village_compliant(world["county"], "2021-03") == 2
    assert village_compliant(world["county"], "2021-08") == 1
    # The year started under version 1, so it is judged by version 1.
    assert village_compliant(world["county"], "2021") == 2
    assert assessment_check() == []


def test_a_future_version_leaves_every_computed_figure_alone(world):
    petition(world["community"], datetime.date(2021, 3, 3), level="town")
    policy_create(effective_from=timezone.localdate() + datetime.timedelta(days=30), petition_levels=["town"])
    assert village_compliant(world["county"], "2021-03") == 2
    assert assessment_check() == []
