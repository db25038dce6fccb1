import datetime

import pytest

DAY = datetime.date(2025, 3, 3)  # the personas' events: 金牛盗窃案 (V1) and 东湾机械伤害 (U2) break a zero


@pytest.fixture
def world(casework):
    """The personas with their organisations (casework); V1 金牛社区 and U1 实验小学 in 沙北, V2 东湾村 and U2
    东湾食品厂 in 商桥."""
    return casework


def codes(warnings) -> dict[str, str]:
    return {warning.subject_code: warning.colour for warning in warnings}
