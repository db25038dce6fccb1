import pytest
from django.utils import timezone

from sanling.targets.services import target_set

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def county_targets(personas):
    """The county's 80/90 (the seeds') for this year, and 商桥镇's own 85 for its villages."""
    county, shangqiao = personas["county"], personas["shangqiao"]
    return {
        "village": target_set(year=THIS_YEAR, region=county, group="village", indicator="rate", value="80"),
        "unit": target_set(year=THIS_YEAR, region=county, group="unit", indicator="rate", value="90"),
        "shangqiao": target_set(
            year=THIS_YEAR, region=shangqiao, group="village", indicator="rate", value="85", note="商桥自定"
        ),
    }
