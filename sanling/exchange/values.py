"""The cells of a bundle: parsing the loosely written values people put in spreadsheets (dates and yes/no),
and writing stored values back as cells (``as_cell``), the same way for the exporter and the importer."""

import datetime
import re

DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
]
TRUE_WORDS = {"是", "true", "yes", "y", "1"}
FALSE_WORDS = {"否", "false", "no", "n", "0", ""}


def parse_date(text: str) -> datetime.date | None:
    """``2021-03-05``, ``2021/3/5``, ``2021.3.5`` or ``2021年3月5日``; None when it is not a real date."""
    text = text.strip()
    if " " in text:  # "2021-03-05 00:00:00" from a spreadsheet that kept the time
        text = text.split(" ", 1)[0]
    for pattern in DATE_PATTERNS:
        if match := pattern.match(text):
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None


def parse_bool(text: str) -> bool | None:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def as_cell(value: object) -> str:
    """A stored value written as a bundle cell: dates as YYYY-MM-DD, yes/no as 是/否, nothing as "".
    The exporter writes every cell with it, and the importer fills a column a file leaves out with it, so a
    stored value reads back as itself."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
