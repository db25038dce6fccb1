"""The demo's 督查: one subject with three findings in the window, its 提醒函 and 通报 issued and acknowledged
and its 约谈函 proposed; the county's four templates; a declined letter with its reason."""

import pytest
from django.utils import timezone

from sanling.supervision.demo import demo_load
from sanling.supervision.models import Letter, LetterStatus, LetterTemplate, SupervisionVisit
from sanling.supervision.selectors import ladder_state

pytestmark = pytest.mark.django_db


def test_the_demo_ladder(casework):
    today = timezone.localdate()
    demo_load(county=None, today=today)
    subject_letters = {}
    for letter in Letter.objects.select_related("subject"):
        subject_letters.setdefault(letter.subject, []).append(letter)
    subject, letters = max(subject_letters.items(), key=lambda item: len(item[1]))
    letters.sort(key=lambda letter: letter.ordinal)
    assert [(letter.kind, letter.status) for letter in letters] == [
        ("reminder", LetterStatus.ISSUED),
        ("notice", LetterStatus.ISSUED),
        ("interview", LetterStatus.PROPOSED),
    ]
    assert all(letter.acknowledged_at for letter in letters[:2])
    assert letters[1].is_overdue(today)  # acknowledged, not answered, due a week after issue
    state = ladder_state(subject, today=today)
    assert state.findings == 3 and state.next_kind == "accountability"
    assert set(LetterTemplate.objects.values_list("kind", flat=True)) == {
        "reminder",
        "notice",
        "interview",
        "accountability",
    }
    assert Letter.objects.filter(status=LetterStatus.DECLINED).exclude(decline_reason="").exists()
    count = SupervisionVisit.objects.count()
    demo_load(county=None, today=today)  # a rerun writes nothing
    assert SupervisionVisit.objects.count() == count
