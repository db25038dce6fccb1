"""`sanling import` and `sanling recompute` draw a progress bar on a terminal, through the same progress
callback the jobs use, and print nothing of it when stderr is piped (issue 17, item 15)."""

import io

import pytest
from django.core.management import call_command

from sanling.conftest import write_csv
from sanling.core.progress import Progress, TerminalBar, terminal_progress
from sanling.subjects.models import Subject

pytestmark = pytest.mark.django_db

HEADER = ["code", "name", "kind", "category", "region_code", "department_code", "joined_on"]


class Terminal(io.StringIO):
    """What a terminal is to a command: a stream that says it is a TTY."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def subjects_bundle(county, education, tmp_path):
    rows = [HEADER] + [
        [f"U{number}", f"学校{number}", "institution", "school", "411103001000", "JY", "2025-01-01"]
        for number in range(12)
    ]
    write_csv(tmp_path / "bundle", "subjects.csv", rows)
    return tmp_path / "bundle"


def test_the_import_command_draws_a_bar_of_rows_checked_then_written_on_a_terminal(subjects_bundle):
    terminal = Terminal()
    call_command("import", str(subjects_bundle), stdout=io.StringIO(), stderr=terminal)
    drawn = terminal.getvalue()
    assert "\r" in drawn and "12/12" in drawn and "100%" in drawn
    assert "检查 subjects.csv" in drawn and "写入 subjects.csv" in drawn
    assert drawn.endswith("\n")  # the command's own lines start on a line of their own
    assert Subject.objects.count() == 12


def test_the_import_command_prints_no_bar_when_piped(subjects_bundle):
    piped = io.StringIO()
    call_command("import", str(subjects_bundle), stdout=io.StringIO(), stderr=piped)
    assert piped.getvalue() == ""


def test_the_recompute_command_draws_a_bar_on_a_terminal_and_nothing_when_piped(personas):
    terminal, piped = Terminal(), io.StringIO()
    call_command("recompute", "--year", "2025", stdout=io.StringIO(), stderr=terminal)
    call_command("recompute", "--year", "2025", stdout=io.StringIO(), stderr=piped)
    assert "2025 年" in terminal.getvalue() and "100%" in terminal.getvalue()
    assert piped.getvalue() == ""


def test_the_recompute_check_draws_a_bar_too(personas):
    terminal = Terminal()
    call_command("recompute", "--check", "--year", "2025", stdout=io.StringIO(), stderr=terminal)
    assert "100%" in terminal.getvalue()


def test_no_bar_is_made_for_a_stream_that_is_not_a_terminal():
    assert terminal_progress(io.StringIO()) is None
    assert isinstance(terminal_progress(Terminal()), TerminalBar)


def test_the_progress_counter_calls_back_every_n_rows_and_at_each_stage():
    calls = []
    progress = Progress(lambda done, total, message: calls.append((done, total, message)), every=1000)
    progress.start(2500, "检查")
    for _row in progress.counted(range(2500)):
        pass
    progress.stage("写入")
    progress.finish()
    assert calls == [
        (0, 2500, "检查"),
        (1000, 2500, "检查"),
        (2000, 2500, "检查"),
        (2500, 2500, "写入"),
        (2500, 2500, "写入"),
    ]
