"""What the generated scope test (accounts/tests/test_scope_everywhere.py) opens of visits: 商桥镇's records."""

import datetime


def world_b(world: dict) -> dict:
    """Records of 商桥镇 (town B) for the 沙北 operator and the education bureau's user to look for: a visit
    to a household of 东湾村 and 东湾村's household count."""
    from sanling.accounts.scope import scope_for
    from sanling.visits.services import household_count_create, household_visit_create

    scope = scope_for(world["town_b"])
    day = datetime.date(2025, 3, 3)
    visit = household_visit_create(
        scope=scope,
        region=world["dongwan"],
        household="东湾8号",
        visited_on=day,
        theme="six_promotions",
        persons_met=2,
        findings="东湾宅基地",
    )
    count = household_count_create(scope=scope, region=world["dongwan"], households=321, as_of=day)
    return {"household_visit_b": visit, "household_count_b": count}


def object_for(name: str, parameter: str, world: dict, town_b: bool):
    """The value of URL parameter ``name`` pointing at a 商桥 record, or None if not one of this app's."""
    if name in ("visits:edit", "visits:delete", "visits:dispute") or name.startswith("api:visit-"):
        return world["household_visit_b"].ref
    if name == "visits:household_edit" or name.startswith("api:household-"):
        return world["household_count_b"].pk
    return None
