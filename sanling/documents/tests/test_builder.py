"""The document writers: one outline gives a Word file and a PDF that say the same, in Chinese, with the
font inside the PDF (no empty boxes on a machine without Chinese fonts)."""

import io

import docx
import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from sanling.documents import CONTENT_TYPES, Document, render
from sanling.documents.charts import bar_chart, line_chart

HEADLINE = "村（社区）166/183，达标率90.71%；企事业单位6861/7022，达标率97.71%。"


def a_bulletin() -> Document:
    document = Document("三零播报", "郾城区委政法委 2025年")
    document.heading("一、总体情况").paragraph(HEADLINE)
    document.table(["乡镇（街道）", "达标率"], [["商桥镇", "92.00%"], ["浉河区", None]])
    document.picture(
        bar_chart(["商桥镇", "龙城镇"], [92.0, 78.5], title="各乡镇达标率", target=80),
        caption="图1 各乡镇达标率",
    )
    return document


def word_text(data: bytes) -> str:
    word = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in word.paragraphs] + cells)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_word_file_holds_the_title_headline_and_table():
    text = word_text(render(a_bulletin(), "docx"))
    for expected in ("三零播报", "一、总体情况", HEADLINE, "商桥镇", "92.00%", "图1 各乡镇达标率"):
        assert expected in text


def test_the_pdf_holds_the_same_words():
    text = pdf_text(render(a_bulletin(), "pdf"))
    for expected in ("三零播报", "一、总体情况", HEADLINE, "商桥镇", "92.00%", "图1 各乡镇达标率"):
        assert expected in text


def test_the_pdf_embeds_its_chinese_font():
    reader = PdfReader(io.BytesIO(render(a_bulletin(), "pdf")))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [
        font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"] for font in fonts.values()
    ]
    assert any("/FontFile2" in descriptor for descriptor in descriptors)  # the glyphs travel with the file


def test_a_rare_place_name_is_drawn_not_boxed():
    # 浉 (浉河区) is outside GB2312; the bundled font has it.
    text = pdf_text(render(Document("浉河区三零播报"), "pdf"))
    assert "浉河区" in text


def test_the_text_outline_reads_in_order():
    assert a_bulletin().text().splitlines()[:3] == ["三零播报", "郾城区委政法委 2025年", "一、总体情况"]


def test_an_unknown_format_is_refused_in_chinese():
    with pytest.raises(ValidationError) as refused:
        render(a_bulletin(), "odt")
    assert "odt" in refused.value.messages[0]


def test_charts_are_png_pictures():
    assert bar_chart(["商桥镇"], [None], title="空").startswith(b"\x89PNG")
    assert line_chart(["1月", "2月"], {"村（社区）": [88.0, None]}, target=80).startswith(b"\x89PNG")


def test_content_types_name_both_formats():
    assert set(CONTENT_TYPES) == {"docx", "pdf"}
