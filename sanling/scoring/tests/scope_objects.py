"""What the generated scope tests open of scoring: 商桥镇's records."""


def world_b(world: dict) -> dict:
    """The indicator sets are the county's rules, not a town's: a 2025 set for the towns, which only a county
    administrator may open for editing."""
    from sanling.scoring.services import IndicatorInput, indicator_set_create

    indicator_set = indicator_set_create(
        name="商桥考核示例",
        year=2025,
        target="towns",
        indicators=[
            IndicatorInput(key="rate_village", weight=60),
            IndicatorInput(key="rate_unit", weight=40),
        ],
    )
    return {"indicator_set_b": indicator_set}


def object_for(name: str, parameter: str, world: dict, town_b: bool):
    """The value of URL parameter ``parameter`` of URL ``name`` pointing at a 商桥 record, or None."""
    if (name.startswith("scoring:") or name.startswith("api:indicator-set-")) and parameter == "pk":
        return world["indicator_set_b"].pk
    return None
