"""An import pauses Python's cycle collector and always resumes it."""

import gc

import pytest

from sanling.core.bulk import collector_paused


def test_the_collector_is_paused_inside_and_running_again_after():
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_runs_again_after_a_failure():
    with pytest.raises(ValueError), collector_paused():
        raise ValueError
    assert gc.isenabled()


def test_a_nested_pause_leaves_the_outer_one_in_force():
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
