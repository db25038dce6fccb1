"""What the generated scope tests open of supervision: 商桥镇's records."""

import datetime


def world_b(world: dict) -> dict:
    """A 商桥 supervision visit with a finding on 东湾村 (its 提醒函 proposed) and a photo of it, for the 沙北
    operator and the education bureau's user to look for. The API scope test reads the keys ending in
    ``_b`` as the refs or ids it asks for."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sanling.supervision.services import FindingInput, finding_photo_add, visit_create

    visit = visit_create(
        region=world["shangqiao"],
        visited_on=datetime.date(2025, 3, 5),
        visitors="商桥镇督查组",
        place="东湾村委会",
        summary="东湾村督查",
        findings=[FindingInput(subject=world["dongwan_village"], text="东湾村台账落实不细不实")],
    )
    finding = visit.findings.get()
    photo = finding_photo_add(
        finding=finding,
        upload=SimpleUploadedFile(
            "东湾督查.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png"
        ),
    )
    return {
        "supervision_visit": visit,
        "supervision_finding": finding,
        "supervision_letter": finding.letter,
        "supervision_photo": photo,
        "supervision_visit_b": visit.ref,
        "finding_b": str(finding.pk),
        "letter_b": finding.letter.ref,
    }


def object_for(name: str, parameter: str, world: dict, town_b: bool):
    """The value of URL parameter ``parameter`` of URL ``name`` pointing at a 商桥 record, or None."""
    if name == "supervision:visit" or name.startswith("api:supervision-visit-"):
        return world["supervision_visit"].ref if parameter == "ref" else None
    if name.startswith("supervision:letter") or name.startswith("api:letter-"):
        return world["supervision_letter"].ref if parameter == "ref" else None
    if name.startswith("api:finding-") and parameter == "pk":
        return world["supervision_finding"].pk
    if name == "supervision:photo" and parameter == "pk":
        return world["supervision_photo"].pk
    if name == "supervision:template" and parameter == "kind":
        return "reminder"  # the county's rules: neither the 沙北 operator nor a department sets them
    return None
