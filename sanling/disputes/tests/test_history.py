"""Disputes whose whole history is known are written at once (``dispute_histories_load``) by the same rules
as the dispute services: the same case, timeline and figures as step by step, and the same refusals."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from sanling.assessment.periods import Period
from sanling.assessment.selectors import dispute_rate
from sanling.assessment.services import assessment_check
from sanling.audit.models import AuditEntry
from sanling.disputes.history import DisputeHistory, dispute_histories_load
from sanling.disputes.models import Dispute
from sanling.disputes.services import dispute_create, dispute_escalate, dispute_mediate, dispute_resolve
from sanling.work.transitions import TransitionRefused

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 4, 1)


def later(days: int) -> datetime.date:
    return DAY + datetime.timedelta(days=days)


def history(casework, ref: str = "H1") -> DisputeHistory:
    return DisputeHistory(
        ref=ref,
        subject=casework["jinniu_village"],
        reported_on=DAY,
        category="邻里纠纷",
        summary="邻里排水纠纷",
    )


def timeline(ref: str) -> list[tuple]:
    case = Dispute.objects.get(ref=ref).case
    return list(
        case.timeline.order_by("on", "pk").values_list(
            "action", "on", "from_step", "to_step", "organisation__code", "details"
        )
    )


def test_a_history_written_at_once_gives_the_case_the_services_give_step_by_step(casework):
    walked = history(casework, "H1")
    walked.mediate(on=DAY)
    walked.escalate(on=later(3), to_level="village")
    walked.mediate(on=later(3))
    walked.escalate(on=later(8), to_level="town")
    walked.resolve(on=later(10), method="people")
    dispute_histories_load([walked])
    stepped = dispute_create(
        ref="H2",
        subject=casework["jinniu_village"],
        reported_on=DAY,
        category="邻里纠纷",
        summary="邻里排水纠纷",
    )
    stepped = dispute_mediate(dispute=stepped, on=DAY)
    stepped = dispute_escalate(dispute=stepped, on=later(3), to_level="village")
    stepped = dispute_mediate(dispute=stepped, on=later(3))
    stepped = dispute_escalate(dispute=stepped, on=later(8), to_level="town")
    dispute_resolve(dispute=stepped, on=later(10), method="people")
    assert timeline("H1") == timeline("H2")
    one, two = (Dispute.objects.select_related("case").get(ref=ref) for ref in ("H1", "H2"))
    for name in ("status", "level", "resolved_level", "resolved_on", "method"):
        assert getattr(one, name) == getattr(two, name)
    for name in ("step", "organisation_id", "handler_id", "due_on", "closed_on"):
        assert getattr(one.case, name) == getattr(two.case, name)
    assert one.case.organisation == casework["org_shabei"]  # the town's 矛调中心 resolved it


def test_loaded_histories_count_in_the_rates_and_leave_the_rollups_clean(casework):
    year = Period.parse("2025")
    registered, resolved, _rate = dispute_rate(region=casework["county"], period=year)
    settled, waiting = history(casework, "H1"), history(casework, "H2")
    settled.mediate(on=DAY).resolve(on=later(1), method="people")
    waiting.mediate(on=DAY).escalate(on=later(2), to_level="village")
    assert dispute_histories_load([settled, waiting]) == 2
    after = dispute_rate(region=casework["county"], period=year)
    assert (after[0] - registered, after[1] - resolved) == (2, 1)
    assert Dispute.objects.get(ref="H2").case.due_on == later(2 + 30)  # the mediation period from the 上交
    assert assessment_check() == []


def test_each_loaded_dispute_and_case_has_its_audit_entry(casework):
    loaded = history(casework)
    loaded.mediate(on=DAY)
    dispute_histories_load([loaded], note="旧台账导入")
    entries = AuditEntry.objects.filter(verb="dispute.history_loaded", object_key="H1")
    assert sorted(entries.values_list("object_type", flat=True)) == ["dispute", "workitem"]
    assert set(entries.values_list("note", flat=True)) == {"旧台账导入"}


def test_a_history_cannot_resolve_a_dispute_twice(casework):
    done = history(casework).resolve(on=DAY, method="people")
    with pytest.raises(TransitionRefused):
        done.resolve(on=later(1), method="people")


def test_a_history_cannot_skip_a_level_without_a_reason(casework):
    with pytest.raises(ValidationError, match="越级"):
        history(casework).escalate(on=DAY, to_level="town")


def test_a_history_cannot_date_a_step_before_the_one_it_follows(casework):
    started = history(casework).mediate(on=later(5))
    with pytest.raises(ValidationError):
        started.escalate(on=later(4), to_level="village")
    assert started.level == "group" and len(started.steps) == 2  # the refused move changed nothing


def test_a_batch_with_a_category_outside_the_county_list_writes_nothing(casework):
    good, bad = history(casework, "H1"), history(casework, "H2")
    bad.dispute.category = "不存在的类别"
    with pytest.raises(ValidationError):
        dispute_histories_load([good, bad])
    assert not Dispute.objects.filter(ref__in=["H1", "H2"]).exists()
