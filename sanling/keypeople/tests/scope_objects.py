"""What the generated scope test (accounts/tests/test_scope_everywhere.py) opens of keypeople: 商桥镇's records."""

import datetime


def world_b(world: dict) -> dict:
    """Records of 商桥镇 (town B) for the 沙北 operator and the education bureau's user to look for: a key
    person of 东湾村 with one visit."""
    from sanling.keypeople.models import KeyPerson
    from sanling.keypeople.services import key_person_create, key_person_visit_record

    person = KeyPerson.objects.filter(ref="KP-DONGWAN-1").first() or key_person_create(
        actor=None,
        ref="KP-DONGWAN-1",
        region=world["dongwan"],
        category="community_correction",
        risk_level="medium",
        name="东湾矫正对象",
        registered_on=datetime.date(2025, 1, 6),
    )
    key_person_visit_record(actor=None, person=person, visited_on=datetime.date(2025, 2, 3), place="东湾村委")
    return {"key_person_b": person}


def object_for(name: str, parameter: str, world: dict, town_b: bool):
    """The value of URL parameter ``parameter`` of URL ``name`` pointing at a 商桥 record, or None if
    ``name`` is not one of this app's."""
    if name.startswith(("keypeople:", "api:key-person")) and parameter == "ref":
        return world["key_person_b"].ref
    return None
