"""What the generated scope tests open of assignments: 商桥镇's records."""


def world_b(world: dict) -> dict:
    """An assignment from the county to 商桥镇's 综治中心, fed back by the 商桥 operator with a photo."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from sanling.assignments.services import assignment_create, assignment_feedback
    from sanling.organisations.services import organisation_create

    centre = organisation_create(
        code="SQ-ZZZX-JB",
        name="商桥镇综治中心",
        kind="comprehensive_centre",
        region=world["shangqiao"],
        members=[world["town_b"]],
        head=world["town_b"],
    )
    today = timezone.localdate()
    assignment = assignment_create(
        giver_region=world["county"],
        organisation=centre,
        issue="商桥镇东湾村土地纠纷化解",
        given_on=today - datetime.timedelta(days=3),
        due_on=today + datetime.timedelta(days=4),
    )
    photo = SimpleUploadedFile("东湾化解.png", b"\x89PNG\r\n\x1a\n" + b"7" * 64, content_type="image/png")
    assignment_feedback(assignment=assignment, user=world["town_b"], text="东湾村已调解", evidence=[photo])
    return {"assignment_b": assignment, "evidence_b": assignment.evidence.get()}


def object_for(name: str, parameter: str, world: dict, town_b: bool):
    """The value of URL parameter ``parameter`` of URL ``name`` pointing at a 商桥 record, or None."""
    if (name.startswith("assignments:") or name.startswith("api:assignment-")) and parameter == "ref":
        return world["assignment_b"].ref
    if name == "assignments:evidence" and parameter == "pk":
        return world["evidence_b"].pk
    return None
