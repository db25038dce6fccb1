import io

import pytest


@pytest.fixture(autouse=True)
def reports_folder(settings, tmp_path):
    """Each test's report files in a folder of its own."""
    settings.REPORTS_DIR = tmp_path / "reports"
    return settings.REPORTS_DIR


def docx_text(data: bytes) -> str:
    """Every paragraph and every table cell of a Word file, in order."""
    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        lines += [" ".join(cell.text for cell in row.cells) for row in table.rows]
    return "\n".join(lines)


def docx_tables(data: bytes) -> list[list[list[str]]]:
    import docx

    document = docx.Document(io.BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def pdf_text(data: bytes) -> str:
    import pypdf

    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
