import io

import docx
import pypdf
import pytest

from sanling.documents import render
from sanling.reviews.documents import review_document
from sanling.reviews.models import ItemKind
from sanling.reviews.services import review_create, review_note

from .conftest import APRIL, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(review_world):
    review = review_create(region=review_world["county"], month=APRIL, today=TODAY)
    last = review.items.filter(kind=ItemKind.REGION).order_by("rank").last()
    review_note(item=last, note="积案要限期清零", version=last.version)
    return review


def ranking_rows(table_rows: list[list[str]]) -> list[tuple[str, str, str]]:
    """(rank, name, rate) of each row of a ranking table."""
    return [(row[0], row[1], row[3]) for row in table_rows]


def test_the_word_document_lists_the_towns_in_rank_order_with_their_rates_and_notes(review):
    document = docx.Document(io.BytesIO(render(review_document(review), "docx")))
    towns = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in towns.rows][1:]
    assert ranking_rows(rows) == [("1", "沙北街道", "100.00%"), ("2", "商桥镇", "50.00%")]
    assert rows[1][-1] == "积案要限期清零"
    departments = [[cell.text for cell in row.cells] for row in document.tables[1].rows][1:]
    assert [row[1] for row in departments] == ["区教育局", "区应急管理局"]
    assert "郾城区" in "\n".join(paragraph.text for paragraph in document.paragraphs)


def test_the_pdf_lists_the_towns_in_rank_order_with_their_rates(review):
    reader = pypdf.PdfReader(io.BytesIO(render(review_document(review), "pdf")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "沙北街道" in text and "商桥镇" in text
    assert text.index("沙北街道") < text.index("商桥镇")
    assert text.index("100.00%") < text.index("50.00%")
    assert "积案要限期清零" in text
