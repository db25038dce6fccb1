"""What the generated scope test (accounts/tests/test_scope_everywhere.py) opens of hazards: 商桥镇's records."""


def world_b(world: dict) -> dict:
    """An inspection of 东湾食品厂 (商桥镇) and the hazard it found, for the 沙北 operator and the education
    bureau's user to look for."""
    import datetime

    from sanling.hazards.services import hazard_report, inspection_create

    day = datetime.date(2025, 3, 5)
    inspection = inspection_create(
        subject=world["factory"], inspected_on=day, inspection_type="四查", by_kind="town"
    )
    hazard = hazard_report(
        subject=world["factory"],
        found_on=day,
        category="安全生产",
        level="major",
        description="东湾食品厂锅炉房隐患",
        inspection=inspection,
    )
    return {"inspection_b": inspection, "hazard_b": hazard}


def object_for(name: str, parameter: str, world: dict, town_b: bool):
    """The value of URL parameter ``name``'s ``parameter`` pointing at a 商桥 record, or None if ``name`` is
    not one of this app's."""
    if name.startswith("hazards:") and parameter == "ref":
        return world["hazard_b"].ref
    if name.startswith("api:hazard-") and parameter == "ref":
        return world["hazard_b"].ref
    if name.startswith("api:inspection-") and parameter == "ref":
        return world["inspection_b"].ref
    return None
