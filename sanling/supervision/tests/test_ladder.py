"""The 四函 ladder: the n-th finding of a run proposes the n-th letter; the window starts a new run."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from sanling.accounts.scope import scope_for
from sanling.supervision.models import Letter, LetterKind, LetterStatus
from sanling.supervision.services import letter_decline, letter_issue, policy_save

pytestmark = pytest.mark.django_db


def test_four_weekly_findings_propose_reminder_notice_interview_accountability_in_order(record):
    findings = [record(day) for day in ("2025-03-03", "2025-03-10", "2025-03-17", "2025-03-24")]
    assert [f.letter.kind for f in findings] == ["reminder", "notice", "interview", "accountability"]
    assert [f.letter.ordinal for f in findings] == [1, 2, 3, 4]
    assert {f.letter.status for f in findings} == {LetterStatus.PROPOSED}  # never issued by itself


def test_the_fifth_finding_proposes_accountability_again(record):
    findings = [record(f"2025-03-{day:02d}") for day in (3, 10, 17, 24, 31)]
    assert findings[-1].letter.kind == "accountability"
    assert findings[-1].letter.ordinal == 5


def test_a_finding_more_than_the_window_after_the_previous_one_starts_again_at_reminder(record, casework):
    policy_save(county=casework["county"], version=None, window_days=30)
    record("2025-03-03")
    second = record("2025-04-02")  # 30 days later: still the same run
    third = record("2025-05-03")  # 31 days later: a new run
    assert second.letter.kind == "notice"
    assert (third.letter.kind, third.ordinal, third.run_start) == ("reminder", 1, datetime.date(2025, 5, 3))


def test_the_default_window_is_ninety_days(record):
    record("2025-01-01")
    assert record("2025-04-01").letter.kind == "notice"  # 90 days
    assert record("2025-07-01").letter.kind == "reminder"  # 91 days


def test_each_subject_has_its_own_ladder(record, casework):
    record("2025-03-03")
    other = record("2025-03-10", subject=casework["factory"])
    assert other.letter.kind == "reminder"


def test_a_finding_dated_before_the_subjects_latest_is_refused(record):
    record("2025-03-10")
    with pytest.raises(ValidationError, match="2025-03-10"):
        record("2025-03-03")
    assert Letter.objects.count() == 1


def test_issuing_the_notice_while_the_reminder_is_only_proposed_is_refused(ladder):
    reminder, notice, _interview = ladder["letters"]
    with pytest.raises(ValidationError) as refused:
        letter_issue(letter=notice, version=None, scope=scope_for(ladder["town_b"]), user=ladder["town_b"])
    message = " ".join(refused.value.messages)
    assert reminder.ref in message and str(LetterKind.REMINDER.label) in message
    notice.refresh_from_db()
    assert (notice.status, notice.number, notice.version) == (LetterStatus.PROPOSED, "", 1)


def test_the_notice_is_issued_once_the_reminder_is_issued(ladder):
    reminder, notice, _interview = ladder["letters"]
    scope = scope_for(ladder["town_b"])
    letter_issue(
        letter=reminder, version=1, sent_to=ladder["org_shangqiao"], scope=scope, user=ladder["town_b"]
    )
    issued = letter_issue(letter=notice, version=1, scope=scope, user=ladder["town_b"])
    assert issued.status == LetterStatus.ISSUED
    assert issued.response_due == issued.issued_on + datetime.timedelta(days=7)
    assert "东湾村" in issued.title and "落实不细不实" in issued.body


def test_a_declined_reminder_lets_the_notice_be_issued(ladder):
    reminder, notice, _interview = ladder["letters"]
    scope = scope_for(ladder["town_b"])
    letter_decline(letter=reminder, version=1, reason="已当场整改", scope=scope, user=ladder["town_b"])
    assert letter_issue(letter=notice, version=1, scope=scope).status == LetterStatus.ISSUED


def test_declining_needs_a_reason(ladder):
    reminder = ladder["letters"][0]
    with pytest.raises(ValidationError) as refused:
        letter_decline(letter=reminder, version=1, reason="  ", scope=scope_for(ladder["town_b"]))
    assert "reason" in refused.value.message_dict
    reminder.refresh_from_db()
    assert reminder.status == LetterStatus.PROPOSED


def test_declining_records_who_and_why(ladder):
    declined = letter_decline(
        letter=ladder["letters"][0],
        version=1,
        reason="已当场整改",
        scope=scope_for(ladder["town_b"]),
        user=ladder["town_b"],
    )
    assert (declined.status, declined.decline_reason, declined.decided_by) == (
        LetterStatus.DECLINED,
        "已当场整改",
        ladder["town_b"],
    )
