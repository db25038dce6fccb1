"""What the generated scope test (accounts/tests/test_scope_everywhere.py) opens of grids: 商桥镇's records."""

import datetime

# URL name -> the world key of the 商桥 record its ``pk`` names.
POST_URLS = {"grids:post_edit", "grids:post_end", "api:post-detail", "api:post-end", "api:post-unmask"}


def world_b(world: dict) -> dict:
    """Records of 商桥镇 (town B) for the 沙北 operator and the education bureau's user to look for: a post
    at 东湾村 with its holder's name and phone."""
    from sanling.grids.services import post_create

    post = post_create(
        region=world["dongwan"],
        post_type="village_police",
        holder_name="东湾民警",
        phone="13812345678",
        started_on=datetime.date(2025, 3, 3),
    )
    return {"post_b": post}


def object_for(name: str, parameter: str, world: dict, town_b: bool):
    """The value of URL parameter ``parameter`` of URL ``name`` pointing at a 商桥 record, or None if
    ``name`` is not one of this app's."""
    if name in POST_URLS and parameter == "pk":
        return world["post_b"].pk
    return None
