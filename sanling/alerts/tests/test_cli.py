"""``sanling warnings``: subject code, colour, reasons, as text and JSON; bad input refused in Chinese."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sanling.alerts.services import watch_entry_create

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("warnings", *args, stdout=out)
    return out.getvalue()


def test_the_text_lists_code_colour_and_reasons(world):
    text = _run("--region", world["county"].code, "--period", "2025-03")
    lines = text.splitlines()
    assert "2 个主体有预警" in lines[0]
    assert lines[1].startswith("U2") and "红色" in lines[1] and "东湾机械伤害" in lines[1]
    assert lines[2].startswith("V1") and "金牛盗窃案" in lines[2]


def test_json_has_the_same_fields_and_filters_by_colour(world):
    watch_entry_create(subject=world["school"], reason="周边复杂", since=datetime.date(2025, 1, 1))
    rows = json.loads(_run("--region", world["county"].code, "--period", "2025-03", "--format", "json"))
    assert [(row["subject_code"], row["colour"]) for row in rows] == [
        ("U2", "red"),
        ("V1", "red"),
        ("U1", "blue"),
    ]
    assert rows[2]["reasons"] == ["列入关注名单：周边复杂（2025-01-01 起）"]
    assert rows[2]["region_code"] == world["grid"].code
    blue = json.loads(
        _run("--region", world["shabei"].code, "--period", "2025-03", "--colour", "blue", "--format", "json")
    )
    assert [row["subject_code"] for row in blue] == ["U1"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--region", "999999999999", "--period", "2025"], "未知的区划代码"),
        (["--region", "411103000000", "--period", "2025-13"], "期间"),
        (["--region", "411103000000", "--period", "2999"], "期间"),
        (["--region", "411103000000", "--period", "2025", "--colour", "green"], "未知的预警颜色"),
    ],
)
def test_bad_input_is_refused_in_chinese(world, args, message):
    with pytest.raises(CommandError) as refused:
        _run(*args)
    assert message in str(refused.value)


def test_the_console_command_exits_non_zero_on_bad_input(world):
    from django.core.management import ManagementUtility

    utility = ManagementUtility(["sanling", "warnings", "--region", "999999999999", "--period", "2025"])
    with pytest.raises(SystemExit) as exited:
        utility.execute()
    assert exited.value.code != 0
