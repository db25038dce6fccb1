"""Property: whatever stream of changes arrives, the live rollups equal a rebuild from raw rows."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanling.assessment.services import assessment_check
from sanling.disputes.models import Dispute
from sanling.disputes.services import dispute_create, dispute_update
from sanling.events.models import Event
from sanling.events.services import event_create, event_delete, event_update
from sanling.subjects.models import Subject
from sanling.subjects.services import subject_update

START = datetime.date(2021, 1, 1)
days = st.integers(min_value=0, max_value=729).map(lambda offset: START + datetime.timedelta(days=offset))
pick = st.integers(min_value=0, max_value=10_000)
event_kinds = st.sampled_from(
    [
        {"type": "petition", "petition_level": "town"},
        {"type": "petition", "petition_level": "county"},
        {"type": "petition", "petition_level": "city", "higher_authority_required": True},
        {"type": "accident", "accident_grade": "general"},
        {"type": "public_safety"},
        {"type": "criminal_case"},
        {"type": "security_case"},
    ]
)
operations = st.one_of(
    st.tuples(st.just("event_create"), pick, event_kinds, days),
    st.tuples(st.just("event_move"), pick, pick, days),
    st.tuples(st.just("event_retype"), pick, event_kinds),
    st.tuples(st.just("event_delete"), pick),
    st.tuples(st.just("subject_move"), pick, pick, days),
    st.tuples(st.just("subject_dates"), pick, days, st.one_of(st.none(), days)),
    st.tuples(st.just("dispute_create"), pick, days),
    st.tuples(st.just("dispute_resolve"), pick, days),
)


def nth(queryset, index):
    items = list(queryset.order_by("pk"))
    return items[index % len(items)] if items else None


def apply(operation, world) -> None:
    name, *args = operation
    units = Subject.objects.filter(kind__in=["enterprise", "institution"])
    places = [world[key] for key in ("grid", "jinniu", "dongwan", "shabei", "shangqiao")]
    departments = [world["education"], world["health"], world["safety"]]
    if name == "event_create":
        subject_index, kind, day = args
        event_create(subject=nth(Subject.objects, subject_index), occurred_on=day, title="事件", **kind)
    elif name == "event_move" and (event := nth(Event.objects, args[0])):
        event_update(event=event, version=None, subject=nth(Subject.objects, args[1]), occurred_on=args[2])
    elif name == "event_retype" and (event := nth(Event.objects, args[0])):
        fields = {"petition_level": "", "higher_authority_required": False, "accident_grade": "", **args[1]}
        event_update(event=event, version=None, **fields)
    elif name == "event_delete" and (event := nth(Event.objects, args[0])):
        event_delete(event=event, version=None)
    elif name == "subject_move":
        subject = nth(units, args[0])
        subject_update(
            subject=subject,
            version=None,
            region=places[args[1] % len(places)],
            department=departments[args[1] % len(departments)],
            moved_on=args[2],
        )
    elif name == "subject_dates":
        subject = nth(Subject.objects, args[0])
        joined, retired = sorted([args[1], args[2] or args[1]]) if args[2] else (args[1], None)
        subject_update(subject=subject, version=None, joined_on=joined, retired_on=retired)
    elif name == "dispute_create":
        dispute_create(subject=nth(Subject.objects, args[0]), reported_on=args[1], summary="纠纷")
    elif name == "dispute_resolve" and (dispute := nth(Dispute.objects, args[0])):
        resolved_on = max(dispute.reported_on, args[1])
        dispute_update(
            dispute=dispute,
            version=None,
            status="resolved",
            resolved_level="village",
            resolved_on=resolved_on,
        )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(stream=st.lists(operations, min_size=1, max_size=12))
def test_any_stream_of_changes_keeps_the_rollups_equal_to_a_rebuild(world, stream):
    with transaction.atomic():
        for operation in stream:
            try:
                with transaction.atomic():
                    apply(operation, world)
            except ValidationError:
                pass  # an operation the rules refuse (a move before the last one…) changes nothing
        assert assessment_check() == []
        transaction.set_rollback(True)
