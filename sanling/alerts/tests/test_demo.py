"""The demo's part: the default rules in force and a watch list that gives blue subjects in several places."""

import pytest
from django.utils import timezone

from sanling.alerts.demo import demo_load
from sanling.alerts.models import WatchEntry
from sanling.alerts.selectors import rule_set_on, subject_warnings

pytestmark = pytest.mark.django_db


def test_the_demo_puts_villages_and_units_on_the_watch_list_once(world):
    today = timezone.localdate()
    demo_load(county=world["county"], today=today)
    demo_load(county=world["county"], today=today)
    assert WatchEntry.objects.count() == 4
    assert "本系统拟定" in rule_set_on(today).name
    colours = {w.subject_code: w.colour for w in subject_warnings(region=world["county"], on=today)}
    assert set(colours) == {"V1", "V2", "U1", "U2"} and set(colours.values()) == {"blue"}


def test_the_demo_finds_the_county_from_the_demos_rows(world):
    from sanling.demo.county import DemoCounty

    rows = DemoCounty(regions=[[world["county"].code, world["county"].name, "county", world["city"].code]])
    demo_load(county=rows, today=timezone.localdate())
    assert WatchEntry.objects.count() == 4
