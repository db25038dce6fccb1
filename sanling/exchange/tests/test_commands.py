import io

import pytest
from django.core.management import CommandError, call_command

from sanling.subjects.models import Subject

from .conftest import SUBJECT_ROWS

pytestmark = pytest.mark.django_db


def test_import_command_reports_counts(bundle):
    out = io.StringIO()
    call_command("import", str(bundle()), stdout=out)
    assert "subjects：新增 3" in out.getvalue()


def test_import_command_dry_run_writes_nothing(bundle):
    out = io.StringIO()
    call_command("import", str(bundle()), "--dry-run", stdout=out)
    assert "试运行" in out.getvalue()
    assert not Subject.objects.exists()


def test_import_command_lists_every_error_and_fails(bundle):
    rows = [list(row) for row in SUBJECT_ROWS]
    rows[1][2] = "??"
    rows[3][10] = "bad"
    err = io.StringIO()
    with pytest.raises(CommandError, match="发现 2 处错误"):
        call_command("import", str(bundle(subjects=rows)), stderr=err)
    assert "第 2 行" in err.getvalue() and "第 4 行" in err.getvalue()


def test_export_command_writes_the_bundle(bundle, tmp_path):
    call_command("import", str(bundle()), stdout=io.StringIO())
    out = io.StringIO()
    call_command("export", str(tmp_path / "out.zip"), stdout=out)
    assert "subjects 3 行" in out.getvalue()
    assert (tmp_path / "out.zip").exists()
