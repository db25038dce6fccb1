"""What the generated scope tests open of targets: 商桥镇's own target (an override of the county's)."""


def world_b(world: dict) -> dict:
    """Records of 商桥镇 (town B) for the 沙北 operator and the education bureau's user to look for."""
    from django.utils import timezone

    from sanling.targets.services import target_set

    target = target_set(
        year=timezone.localdate().year,
        region=world["shangqiao"],
        group="village",
        indicator="rate",
        value="85",
        note="商桥镇自定目标",
    )
    return {"target_b": target, "target_b_pk": str(target.pk)}


def object_for(name: str, parameter: str, world: dict, town_b: bool):
    """The value of URL parameter ``parameter`` of URL ``name`` pointing at a 商桥 record, or None."""
    if (name.startswith("targets:") or name.startswith("api:target-")) and parameter == "pk":
        return world["target_b"].pk
    return None
