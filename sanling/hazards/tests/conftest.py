import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def attachment_dir(settings, tmp_path):
    settings.ATTACHMENT_DIR = str(tmp_path / "attachments")
    return settings.ATTACHMENT_DIR


@pytest.fixture
def hazard_world(casework, attachment_dir):
    """A hazard at the 沙北 school found 60 days ago by an inspection the same day, owned by the 沙北 centre."""
    from sanling.hazards.services import hazard_report, inspection_create

    world = dict(casework)
    today = timezone.localdate()
    found = today - datetime.timedelta(days=60)
    inspection = inspection_create(
        subject=world["school"], inspected_on=found, inspection_type="消防", by_kind="town"
    )
    hazard = hazard_report(
        subject=world["school"],
        found_on=found,
        category="消防安全",
        level="general",
        description="消防通道被杂物堵塞",
        inspection=inspection,
        owner=world["org_shabei"],
    )
    world.update(inspection=inspection, hazard=hazard, found=found, today=today)
    return world
