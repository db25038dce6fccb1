"""The letter's steps after the decision: acknowledgement and answer by the organisation it was sent to, its
deadline and overdue; the county's templates; the Word and PDF of a letter."""

import datetime
import io

import docx
import pypdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sanling.accounts.scope import scope_for
from sanling.documents import render
from sanling.supervision.models import LetterTemplate
from sanling.supervision.selectors import letter_figures, letters_for, overdue_q
from sanling.supervision.services import (
    letter_acknowledge,
    letter_document,
    letter_issue,
    letter_respond,
    policy_save,
    template_save,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(ladder):
    """东湾村's 提醒函 issued on 2025-03-04 to 商桥镇矛调中心 (town_b is its member)."""
    letter = letter_issue(
        letter=ladder["letters"][0],
        version=1,
        sent_to=ladder["org_shangqiao"],
        on=datetime.date(2025, 3, 4),
        scope=scope_for(ladder["admin_user"]),
        user=ladder["admin_user"],
    )
    return {**ladder, "letter": letter}


def test_the_organisation_the_letter_was_sent_to_acknowledges_it(issued):
    letter = letter_acknowledge(
        letter=issued["letter"], version=2, scope=scope_for(issued["town_b"]), user=issued["town_b"]
    )
    assert letter.acknowledged_by == issued["town_b"] and letter.acknowledged_at is not None


def test_no_one_outside_that_organisation_acknowledges_it(issued):
    for outsider in ("admin_user", "town_a", "dept"):
        with pytest.raises(PermissionDenied):
            letter_acknowledge(
                letter=issued["letter"], version=2, scope=scope_for(issued[outsider]), user=issued[outsider]
            )
    issued["letter"].refresh_from_db()
    assert issued["letter"].acknowledged_at is None


def test_a_proposed_letter_cannot_be_acknowledged(ladder):
    with pytest.raises(ValidationError):
        letter_acknowledge(
            letter=ladder["letters"][1], version=1, scope=scope_for(ladder["town_b"]), user=ladder["town_b"]
        )


def test_an_answer_past_the_deadline_leaves_the_letter_overdue_and_on_time_clears_it(issued):
    letter = issued["letter"]
    assert letter.response_due == datetime.date(2025, 3, 11)  # issued 03-04, 7 days for a 提醒函
    today = timezone.localdate()
    assert letter.is_overdue(today)
    assert letters_for(scope_for(issued["town_b"])).filter(overdue_q(today)).get() == letter
    answered = letter_respond(
        letter=letter, version=2, text="已整改台账", scope=scope_for(issued["town_b"]), user=issued["town_b"]
    )
    assert answered.acknowledged_at is not None  # answering acknowledges too
    assert answered.is_overdue(today)  # answered long after 2025-03-11
    assert not letters_for(scope_for(issued["town_b"])).filter(overdue_q(today)).exists()


def test_an_answer_needs_text(issued):
    with pytest.raises(ValidationError):
        letter_respond(
            letter=issued["letter"],
            version=2,
            text=" ",
            scope=scope_for(issued["town_b"]),
            user=issued["town_b"],
        )


def test_the_response_deadline_is_the_countys(ladder):
    policy_save(county=ladder["county"], version=None, reminder_days=3)
    letter = letter_issue(
        letter=ladder["letters"][0], version=1, sent_to=ladder["org_shangqiao"], on=datetime.date(2025, 3, 4)
    )
    assert letter.response_due == datetime.date(2025, 3, 7)


def test_letter_figures_count_each_kind_in_the_period(issued):
    from sanling.assessment.periods import Period

    figures = letter_figures(region=issued["county"], period=Period.month(2025, 3))
    assert figures["reminder"] == {"proposed": 1, "issued": 1, "declined": 0, "acknowledged": 0, "overdue": 1}
    assert figures["notice"]["proposed"] == 1 and figures["interview"]["proposed"] == 1
    assert letter_figures(region=issued["shabei"], period=Period.month(2025, 3))["reminder"]["proposed"] == 0


def test_an_edited_template_words_the_next_letter(ladder):
    template_save(
        county=ladder["county"],
        kind="reminder",
        title="{{ subject.name }}提醒函（{{ number }}）",
        body="{{ organisation.name }}：请于{{ deadline }}前整改。{% for f in findings %}{{ f.text }}{% endfor %}",
        version=None,
    )
    letter = letter_issue(
        letter=ladder["letters"][0],
        version=1,
        sent_to=ladder["org_shangqiao"],
        number="郾督〔2025〕7号",
        on=datetime.date(2025, 3, 4),
    )
    assert letter.title == "东湾村提醒函（郾督〔2025〕7号）"
    assert letter.body == "商桥镇矛调中心：请于2025年3月11日前整改。落实不细不实"


@pytest.mark.parametrize(
    "body, field_named",
    [
        ("{% for finding in findings %}{{ finding.text }}", "body"),  # unclosed tag
        ("{{ subject.leader }}同志：", "body"),  # not in the context
        ("{{ subject.name|nosuchfilter }}", "body"),
    ],
)
def test_a_template_that_fails_to_render_is_refused_and_nothing_is_saved(ladder, body, field_named):
    with pytest.raises(ValidationError) as refused:
        template_save(county=ladder["county"], kind="reminder", title="提醒函", body=body, version=None)
    assert field_named in refused.value.message_dict
    assert not LetterTemplate.objects.exists()


def test_only_the_county_administrator_edits_templates(ladder):
    for user in ("town_a", "town_b", "dept"):
        with pytest.raises(PermissionDenied):
            template_save(
                county=ladder["county"],
                kind="reminder",
                title="t",
                body="b",
                version=None,
                scope=scope_for(ladder[user]),
            )


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize("fmt, read", [("docx", _docx_text), ("pdf", _pdf_text)])
def test_the_issued_letter_as_a_document_names_the_subject_and_its_findings(issued, fmt, read):
    letter_issue(
        letter=issued["letters"][1], version=1, sent_to=issued["org_shangqiao"], on=datetime.date(2025, 3, 11)
    )
    notice = issued["letters"][1]
    notice.refresh_from_db()
    text = read(render(letter_document(notice), fmt))
    assert "东湾村" in text
    assert "商桥镇矛调中心" in text
    assert notice.number in text
    assert "2025年3月3日" in text and "2025年3月10日" in text  # both findings of the run
    assert text.count("落实不细不实") >= 2
