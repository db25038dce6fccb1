"""What the generated scope tests open of reporting: a duty of the county (only its administrator edits it)."""


def world_b(world: dict) -> dict:
    """The county's default reporting duties, with 东湾村 (商桥镇) not having reported its visits."""
    from sanling.reporting.services import duties_install_defaults

    duties = duties_install_defaults(county=world["county"])
    return {"reporting_duty_b": duties[0]}


def object_for(name: str, parameter: str, world: dict, town_b: bool):
    """The value of URL parameter ``parameter`` of URL ``name``, or None."""
    if name == "reporting:duty_delete" and parameter == "pk":
        return world["reporting_duty_b"].pk
    return None
