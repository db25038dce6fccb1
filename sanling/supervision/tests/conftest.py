import datetime

import pytest

from sanling.accounts.scope import scope_for


@pytest.fixture
def record(casework):
    """``record(day, subject=…, by=…)``: a supervision visit on ``day`` with one finding on ``subject``
    (default 东湾村) recorded by ``by`` (default the 商桥 operator); returns the finding."""
    from sanling.supervision.services import FindingInput, visit_create

    def finding_on(day, *, subject=None, by="town_b", text="落实不细不实"):
        subject = subject or casework["dongwan_village"]
        user = casework[by]
        scope = scope_for(user)
        visit = visit_create(
            region=scope.region or casework["county"],
            visited_on=day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day),
            visitors="督查组 王明、李强",
            findings=[FindingInput(subject=subject, text=text)],
            scope=scope,
            user=user,
        )
        return visit.findings.get()

    return finding_on


@pytest.fixture
def ladder(casework, record):
    """Three findings on 东湾村 in March 2025: three letters proposed (提醒, 通报, 约谈)."""
    findings = [record(day) for day in ("2025-03-03", "2025-03-10", "2025-03-17")]
    return {**casework, "findings": findings, "letters": [finding.letter for finding in findings]}
