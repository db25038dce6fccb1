"""What the generated scope tests open of reviews: 商桥镇's records."""


def world_b(world: dict) -> dict:
    """Records of 商桥镇 (town B) for the 沙北 operator and the education bureau's user to look for: 商桥镇's
    review of its villages for March 2025 (东湾村 is an item of it)."""
    import datetime

    from sanling.reviews.services import review_create

    review = review_create(region=world["shangqiao"], month="2025-03", today=datetime.date(2025, 4, 2))
    return {"review_b": review}


def object_for(name: str, parameter: str, world: dict, town_b: bool):
    """The value of URL parameter ``parameter`` of URL ``name`` pointing at a 商桥 record, or None."""
    if name.startswith("reviews:") or name.startswith("api:review-"):
        review = world["review_b"]
        if parameter == "pk":
            return review.pk
        if parameter == "item":
            return review.items.order_by("pk").first().pk
        if parameter == "fmt":
            return "docx"
    return None
