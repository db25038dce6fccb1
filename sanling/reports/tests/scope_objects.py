"""What the generated scope tests open of reports: 商桥镇's records."""


def world_b(world: dict) -> dict:
    """Records of 商桥镇 (town B) for the 沙北 operator and the education bureau's user to look for: the 商桥
    operator's 播报 of 商桥镇, generated, sent to no one (so the department's user may not open it either)."""
    from sanling.accounts.scope import scope_for
    from sanling.reports.services import report_create, report_generate

    report = report_create(
        user=world["town_b"],
        kind="bulletin",
        region=world["shangqiao"],
        period="2025",
        fmt="docx",
        scope=scope_for(world["town_b"]),
    )
    report_generate(report)
    return {"report_b": str(report.pk)}


def object_for(name: str, parameter: str, world: dict, town_b: bool):
    """The value of URL parameter ``parameter`` of URL ``name`` pointing at a 商桥 record, or None."""
    if (name.startswith("reports:") or name.startswith("api:report-")) and parameter == "pk":
        return world["report_b"]
    return None
