"""A province-sized recompute on PostgreSQL loads the rollup tables like an import (core/bulk.py)."""

import datetime

import pytest
from django.db import connection

from sanling.assessment.models import CategoryRollup, DepartmentRollup, RegionRollup
from sanling.assessment.services import assessment_check, assessment_recompute
from sanling.assessment.store import TABLES
from sanling.core.tests.test_bulk import schema_of

from .conftest import case

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL bulk-load technique")
ROLLUPS = (RegionRollup, DepartmentRollup, CategoryRollup)


@pytest.fixture(autouse=True)
def every_recompute_is_large(settings):
    settings.BULK_REBUILD_ROWS = 1


def test_a_large_recompute_restores_the_rollup_tables_indexes(world):
    case(world["school"], datetime.date(2021, 6, 1))
    before = [schema_of(model) for model in ROLLUPS]
    assessment_recompute()
    assert [schema_of(model) for model in ROLLUPS] == before
    assert assessment_check() == []


def test_a_large_recompute_writes_the_rows_the_live_path_kept(world):
    case(world["school"], datetime.date(2021, 6, 1))
    live = rollup_rows()
    assessment_recompute()
    assert rollup_rows() == live


def rollup_rows() -> list[list[tuple]]:
    return [sorted(model.objects.values_list(*keys, *counts)) for model, keys, counts in TABLES]
