"""Parsing of the loosely written values people put in spreadsheets: dates and yes/no."""

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
