"""One outline, two formats. A ``Document`` is a list of blocks; ``render(document, "docx" | "pdf")``
returns the file's bytes. Both writers read the same blocks, so the Word and the PDF of a report say the
same thing in the same order (the tests extract the text of each and compare it with the engine)."""

import io
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FONT_PATH = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttf"
# Word shows a document in the reader's fonts; these are the ones a Chinese government office has.
WORD_BODY_FONT = "仿宋"
WORD_HEADING_FONT = "黑体"

FORMATS = ("docx", "pdf")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Paragraph:
    text: str
    bold: bool = False
    align: str = "left"  # "left", "center" or "right"


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    # Relative widths of the columns (equal when empty).
    widths: list[float] = field(default_factory=list)


@dataclass
class Picture:
    png: bytes
    width_mm: float = 160
    caption: str = ""


@dataclass
class PageBreak:
    pass


@dataclass
class Document:
    """An outline: ``title`` and an optional ``subtitle`` (the issuer and date line), then blocks."""

    title: str
    subtitle: str = ""
    blocks: list = field(default_factory=list)

    def heading(self, text: str, level: int = 1) -> "Document":
        self.blocks.append(Heading(str(text), level))
        return self

    def paragraph(self, text: str, *, bold: bool = False, align: str = "left") -> "Document":
        self.blocks.append(Paragraph(str(text), bold, align))
        return self

    def table(self, header: list, rows: list[list], *, widths: list[float] | None = None) -> "Document":
        self.blocks.append(
            Table(
                [str(cell) for cell in header], [[_cell(cell) for cell in row] for row in rows], widths or []
            )
        )
        return self

    def picture(self, png: bytes, *, width_mm: float = 160, caption: str = "") -> "Document":
        self.blocks.append(Picture(png, width_mm, str(caption)))
        return self

    def page_break(self) -> "Document":
        self.blocks.append(PageBreak())
        return self

    def text(self) -> str:
        """Every word of the document in order, as the tests and the search read it."""
        lines = [self.title, self.subtitle]
        for block in self.blocks:
            if isinstance(block, Heading | Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                lines += [" ".join(block.header)] + [" ".join(row) for row in block.rows]
            elif isinstance(block, Picture):
                lines.append(block.caption)
        return "\n".join(line for line in lines if line)


def _cell(value) -> str:
    return "" if value is None else str(value)


def render(document: Document, fmt: str) -> bytes:
    """The file of ``document`` in ``fmt`` ("docx" or "pdf"); a ValidationError in Chinese for another."""
    if fmt == "docx":
        return _docx(document)
    if fmt == "pdf":
        return _pdf(document)
    raise ValidationError(
        _("Documents are made as Word (docx) or PDF (pdf), not “%(format)s”."), params={"format": fmt}
    )


# -- Word ------------------------------------------------------------------------------------------------


def _east_asian(run, font: str) -> None:
    """Word picks the font of 汉字 from the run's eastAsia attribute, not from its name."""
    from docx.oxml.ns import qn

    run.font.name = font
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)


def _docx(document: Document) -> bytes:
    from docx import Document as WordDocument
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    alignments = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }
    word = WordDocument()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4, as government documents are
    section.left_margin = section.right_margin = Mm(25)
    title = word.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(document.title)
    run.bold, run.font.size = True, Pt(20)
    _east_asian(run, WORD_HEADING_FONT)
    if document.subtitle:
        line = word.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _east_asian(line.add_run(document.subtitle), WORD_BODY_FONT)
    for block in document.blocks:
        if isinstance(block, Heading):
            paragraph = word.add_paragraph()
            run = paragraph.add_run(block.text)
            run.bold, run.font.size = True, Pt(16 if block.level == 1 else 14)
            _east_asian(run, WORD_HEADING_FONT)
        elif isinstance(block, Paragraph):
            paragraph = word.add_paragraph()
            paragraph.alignment = alignments.get(block.align, WD_ALIGN_PARAGRAPH.LEFT)
            run = paragraph.add_run(block.text)
            run.bold, run.font.size = block.bold, Pt(14)
            _east_asian(run, WORD_BODY_FONT)
        elif isinstance(block, Table):
            table = word.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for cell, text in zip(table.rows[0].cells, block.header, strict=True):
                run = cell.paragraphs[0].add_run(text)
                run.bold, run.font.size = True, Pt(11)
                _east_asian(run, WORD_HEADING_FONT)
            for row in block.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    run = cell.paragraphs[0].add_run(text)
                    run.font.size = Pt(11)
                    _east_asian(run, WORD_BODY_FONT)
        elif isinstance(block, Picture):
            word.add_picture(io.BytesIO(block.png), width=Mm(block.width_mm))
            if block.caption:
                caption = word.add_paragraph()
                caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _east_asian(caption.add_run(block.caption), WORD_BODY_FONT)
        elif isinstance(block, PageBreak):
            word.add_page_break()
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


# -- PDF -------------------------------------------------------------------------------------------------


def _pdf(document: Document) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font("cjk", "", str(FONT_PATH))
    pdf.set_title(document.title)
    pdf.set_creator("Sanling")
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    pdf.multi_cell(0, 10, document.title, align="C", new_x="LMARGIN", new_y="NEXT")
    if document.subtitle:
        pdf.set_font("cjk", size=11)
        pdf.multi_cell(0, 7, document.subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    aligns = {"left": "L", "center": "C", "right": "R"}
    for block in document.blocks:
        if isinstance(block, Heading):
            pdf.ln(2)
            pdf.set_font("cjk", size=14 if block.level == 1 else 12)
            pdf.multi_cell(0, 8, block.text, new_x="LMARGIN", new_y="NEXT")
        elif isinstance(block, Paragraph):
            pdf.set_font("cjk", size=11)
            pdf.multi_cell(
                0, 6.5, block.text, align=aligns.get(block.align, "L"), new_x="LMARGIN", new_y="NEXT"
            )
        elif isinstance(block, Table):
            pdf.set_font("cjk", size=9)
            widths = tuple(block.widths) if block.widths else None
            with pdf.table(
                col_widths=widths,
                headings_style=FontFace(fill_color=(230, 236, 243)),
                line_height=5.5,
                text_align="LEFT",
            ) as table:
                for row in [block.header, *block.rows]:
                    cells = table.row()
                    for text in row:
                        cells.cell(text)
            pdf.ln(2)
        elif isinstance(block, Picture):
            width = min(block.width_mm, pdf.epw)
            pdf.image(io.BytesIO(block.png), w=width, x=pdf.l_margin + (pdf.epw - width) / 2)
            if block.caption:
                pdf.set_font("cjk", size=9)
                pdf.multi_cell(0, 5, block.caption, align="C", new_x="LMARGIN", new_y="NEXT")
        elif isinstance(block, PageBreak):
            pdf.add_page()
    return bytes(pdf.output())
