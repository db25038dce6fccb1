"""Documents a county office prints or sends: one simple outline (title, headings, paragraphs, tables,
pictures) written out as Word (python-docx) or as PDF (fpdf2) with the Chinese font that ships with the
project (``fonts/wqy-microhei.ttf``, Apache-2.0), so a PDF never shows empty boxes where 汉字 should be
and nothing is fetched at run time. Letters, the monthly review and the 三零播报 all build a ``Document``
and call ``render``."""

from .builder import CONTENT_TYPES, FORMATS, Document, render

__all__ = ["CONTENT_TYPES", "FORMATS", "Document", "render"]
