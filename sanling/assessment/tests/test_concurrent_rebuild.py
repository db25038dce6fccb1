"""A rebuild of a year (an import's tail, ``sanling recompute``, a year's first opening) and the live path
writing the same rollup rows at the same time: neither may lose the other's work."""

import datetime
import threading

import pytest
from django.db import connection, transaction

from sanling.assessment.periods import periods_of_year
from sanling.assessment.rebuild import rebuild_into_tables
from sanling.assessment.services import assessment_check
from sanling.events.models import Event
from sanling.events.services import event_delete
from sanling.regions.services import region_move

from .conftest import petition


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_an_event_deleted_while_its_year_is_rebuilt_leaves_the_rates_right(personas):
    # Without the rebuild's lock the deletion's UPDATE waited on the rows the rebuild had deleted, found
    # them gone once it committed, and its decrement of the new rows was lost: 达标率 one subject too low.
    rebuilt, failures = threading.Event(), []

    def rebuild_and_hold():
        try:
            with transaction.atomic():
                rebuild_into_tables(periods_of_year(2025))
                rebuilt.set()
                threading.Event().wait(0.5)  # the report below arrives while the rebuild is uncommitted
        except Exception as error:  # surfaces in the assertion below
            failures.append(error)
        finally:
            rebuilt.set()
            connection.close()

    rebuilder = threading.Thread(target=rebuild_and_hold)
    rebuilder.start()
    try:
        assert rebuilt.wait(timeout=20)
        event = Event.objects.get(pk=personas["event_a"].pk)
        event_delete(event=event, version=event.version)
    finally:
        rebuilder.join()
    assert failures == []
    assert assessment_check() == []


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_an_event_recorded_while_a_region_move_rebuilds_counts_under_the_new_tree(world):
    # Found in review: the report computed its change against the tree before the move, while the move's
    # rebuild was uncommitted, then applied it after the commit to rows that no longer matched.
    moved, failures = threading.Event(), []

    def move_and_hold():
        try:
            with transaction.atomic():
                region_move(
                    region=world["jinniu"], new_parent=world["shangqiao"], moved_on=datetime.date(2021, 3, 1)
                )
                moved.set()
                threading.Event().wait(0.5)
        except Exception as error:  # surfaces in the assertion below
            failures.append(error)
        finally:
            moved.set()
            connection.close()

    mover = threading.Thread(target=move_and_hold)
    mover.start()
    try:
        assert moved.wait(timeout=20)
        petition(world["community"], datetime.date(2021, 5, 3))
    finally:
        mover.join()
    assert failures == []
    assert assessment_check() == []
