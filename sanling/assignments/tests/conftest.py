import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone


@pytest.fixture
def jb(casework, settings, tmp_path):
    """The casework organisations, evidence stored under a temporary folder."""
    settings.ATTACHMENT_DIR = tmp_path / "attachments"
    return casework


def photo(name="整改照片.png", filler=b"\0"):
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + filler * 64, content_type="image/png")


def give(world, *, organisation="org_shangqiao", days_ago=2, due_in=5, issue="排查东湾村矛盾纠纷", **extra):
    from sanling.assignments.services import assignment_create

    today = timezone.localdate()
    return assignment_create(
        giver_region=world["county"],
        organisation=world[organisation],
        issue=issue,
        given_on=today - datetime.timedelta(days=days_ago),
        due_on=today + datetime.timedelta(days=due_in),
        **extra,
    )
