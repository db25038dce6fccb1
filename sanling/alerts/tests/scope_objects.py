"""What the generated scope tests open of alerts: 商桥镇's records."""

import datetime

from django.utils import timezone


def world_b(world: dict) -> dict:
    """Records of 商桥镇 (town B) for the 沙北 operator and the education bureau's user to look for: 东湾村 on the
    关注名单 (so it is blue in the lists and the API)."""
    from sanling.alerts.services import watch_entry_create

    entry = watch_entry_create(
        subject=world["dongwan_village"], reason="东湾村关注", since=datetime.date(2025, 1, 1)
    )
    return {"watch_b": entry}


def object_for(name: str, parameter: str, world: dict, town_b: bool):
    """The value of URL parameter ``parameter`` of URL ``name`` pointing at a 商桥 record, or None. The rules
    are the county's: their edit pages are the county administrator's alone (403 to everyone else)."""
    from sanling.alerts.selectors import rule_set_on

    if name in ("alerts:thresholds", "alerts:consequences") and parameter == "pk":
        return rule_set_on(timezone.localdate()).pk
    if name == "alerts:rule" and parameter == "pk":
        return rule_set_on(timezone.localdate()).rules.order_by("pk").first().pk
    if name.startswith("api:warning-rule-set") and parameter in ("pk", "id"):
        return rule_set_on(timezone.localdate()).pk
    return None
