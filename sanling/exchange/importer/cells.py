"""Reading the cells of a bundle's rows: each cell's text becomes its value or a Chinese problem."""

import datetime
import re
from itertools import repeat
from operator import itemgetter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sanling.core.validators import record_date_problem, validate_not_in_future

from ..reader import RowError, Table
from ..values import parse_date

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
WHOLE_NUMBER = re.compile(r"^[0-9]{1,7}$")
MAX_PEOPLE = 1_000_000


def column_cells(table: Table, key: str) -> list[str]:
    """The cells of one column, row by row ("" where a row has none), read in C loops: a file may hold
    millions of rows."""
    return list(map(dict.get, map(itemgetter(1), table.rows), repeat(key), repeat("")))


def column_values(table: Table, key: str) -> set[str]:
    """The distinct cells of one column."""
    return set(column_cells(table, key))


class CellParser:
    """Turns the text of a cell into its value, or says in Chinese why it cannot be one.

    What a typed cell (a choice, date, yes/no, count) means depends only on its column and its text, so
    each distinct pair is parsed once per file: a province's two million events repeat a few hundred
    dates and a handful of types and levels.
    """

    def __init__(self, table: Table, today: datetime.date):
        self.spec, self.today = table.spec, today
        self.parsed: dict[tuple[str, str, str], tuple[object, str]] = {}

    def typed(self, kind: str, key: str, value: str) -> tuple[object, str]:
        """(value, problem) of a cell parsed as ``kind`` (a method of this class); problem is "" if none."""
        try:
            return self.parsed[kind, key, value]
        except KeyError:
            result = self.parsed[kind, key, value] = getattr(self, kind)(key, value)
            return result

    def text(self, key: str, value: str) -> tuple[str, str]:
        if not value:
            if self.spec.column(key).required:
                return value, _("This column is required.")
            return value, ""
        if CONTROL_CHARACTERS.search(value):
            return "", _("The cell holds invisible control characters; retype it.")
        return value, ""

    def choice(self, key: str, value: str) -> tuple[str, str]:
        value, problem = self.text(key, value)
        if not value:
            return "", problem
        aliases = self.spec.aliases[key]
        if value not in aliases and value.lower() not in aliases:
            options = "、".join(self.spec.column(key).choices.values())
            return "", _("Unknown value “%(value)s”; use one of: %(options)s.") % {
                "value": value,
                "options": options,
            }
        return aliases.get(value) or aliases[value.lower()], ""

    def date(self, key: str, value: str) -> tuple[datetime.date | None, str]:
        value, problem = self.text(key, value)
        if not value:
            return None, problem
        parsed = parse_date(value)
        if parsed is None:
            return None, _("“%(value)s” is not a date; write it as YYYY-MM-DD, e.g. 2021-03-05.") % {
                "value": value
            }
        return parsed, ""

    def past_date(self, key: str, value: str) -> tuple[datetime.date | None, str]:
        day, problem = self.date(key, value)
        try:
            validate_not_in_future(day, self.today)
        except ValidationError as error:
            return day, problem or error.messages[0]
        return day, problem or record_date_problem(day, joined_on=None)

    def flag(self, key: str, value: str) -> tuple[bool, str]:
        value, problem = self.choice(key, value)
        return value == "true", problem

    def count(self, key: str, value: str) -> tuple[int, str]:
        value, problem = self.text(key, value)
        if not value:
            return 0, problem
        if not WHOLE_NUMBER.match(value) or int(value) > MAX_PEOPLE:
            return 0, _("“%(value)s” is not a whole number of people.") % {"value": value}
        return int(value), ""


class RowReader:
    """Reads the cells of one row, turning each problem into a RowError for its column."""

    __slots__ = ("table", "number", "row", "errors", "cells", "bad_columns")  # one per row of a file

    def __init__(
        self, table: Table, number: int, row: dict[str, str], errors: list[RowError], cells: CellParser
    ):
        self.table, self.number, self.row, self.errors, self.cells = table, number, row, errors, cells
        self.bad_columns: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        return not self.bad_columns

    def error(self, key: str, message: str) -> None:
        """Record a problem with the cell of column ``key``; only the first one per cell is kept."""
        if key in self.bad_columns:
            return
        self.bad_columns += (key,)
        column = self.table.spec.column(key).title if key else ""
        self.errors.append(RowError(self.table.name, self.number, column, str(message)))

    def _read(self, kind: str, key: str):
        value, problem = self.cells.typed(kind, key, self.row.get(key, ""))
        if problem:
            self.error(key, problem)
        return value

    def text(self, key: str) -> str:
        # Not remembered: names, codes and titles rarely repeat.
        value, problem = self.cells.text(key, self.row.get(key, ""))
        if problem:
            self.error(key, problem)
        return value

    def choice(self, key: str) -> str:
        return self._read("choice", key)

    def date(self, key: str) -> datetime.date | None:
        return self._read("date", key)

    def past_date(self, key: str) -> datetime.date | None:
        return self._read("past_date", key)

    def flag(self, key: str) -> bool:
        return self._read("flag", key)

    def count(self, key: str) -> int:
        return self._read("count", key)

    def model_errors(self, error: ValidationError, columns: dict[str, str]) -> None:
        """Report a model's ValidationError against the columns its fields come from."""
        for field_name, messages in error.message_dict.items():
            self.error(columns.get(field_name, ""), "；".join(messages))
