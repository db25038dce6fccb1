"""Defects found in the review of issue 15 (grid fieldwork), written as the behaviour that should hold.
Each test fails on main at the time of the review."""

import pytest


@pytest.mark.django_db
def test_an_unknown_checklist_item_is_a_plain_chinese_400(hazard_world, api_as):
    """Review: POST /api/v1/inspections/ with results [{"item": 999}] answered
    ``{0: {'item': [ErrorDetail(string='无效主键 “999” － 对象不存在。', code='does_not_exist')]}}``: the nested
    error is flattened with str() of a dict (sanling/api/errors.py ``_flatten``)."""
    answer = api_as(hazard_world["town_a"]).post(
        "/api/v1/inspections/",
        {
            "subject": "U1",
            "inspected_on": hazard_world["today"].isoformat(),
            "inspection_type": "四查",
            "by_kind": "town",
            "results": [{"item": 999999, "passed": False}],
        },
        format="json",
    )
    assert answer.status_code == 400
    assert "ErrorDetail" not in answer.content.decode()


@pytest.mark.django_db
def test_a_checklist_item_of_another_inspection_type_is_refused(hazard_world, api_as):
    """Review: a 燃气 inspection accepted the 四查 item 查风险隐患 as one of its results."""
    from sanling.hazards.models import ChecklistItem, Inspection

    item = ChecklistItem.objects.filter(inspection_type="四查").order_by("order").first()
    before = Inspection.objects.count()
    answer = api_as(hazard_world["town_a"]).post(
        "/api/v1/inspections/",
        {
            "subject": "U1",
            "inspected_on": hazard_world["today"].isoformat(),
            "inspection_type": "燃气",
            "by_kind": "town",
            "results": [{"item": item.pk, "passed": False}],
        },
        format="json",
    )
    assert answer.status_code == 400
    assert Inspection.objects.count() == before
