"""The events file, and what the files of records keyed by ``ref`` share (``RecordStep``): millions of rows,
validated column by column."""

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import cached_property, partial
from itertools import repeat
from operator import itemgetter

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.audit.services import Change
from sanling.core.bulk import bulk_load, fast_insert
from sanling.core.queries import chunks, filter_in
from sanling.core.validators import SAFE_REF, record_date_problem, ref_problem
from sanling.dictionary.selectors import enabled_codes
from sanling.dictionary.services import check_choice
from sanling.events.models import EVENT_FIELDS, EVENT_RULE_FIELDS, Event, event_rule_errors
from sanling.personal.fields import PERSONAL_FIELDS, with_indexes
from sanling.subjects.models import Subject

from ..reader import RowError
from ..schema import EVENTS
from ..values import as_cell
from .cells import (
    CONTROL_CHARACTERS,
    CellParser,
    column_cells,
)
from .step import FileResult, FileStep

# A column of refs, one per line, each empty or safe.
SAFE_REF_LINES = re.compile(f"(?:{SAFE_REF.pattern})?(?:\\n(?:{SAFE_REF.pattern})?)*")


class RecordStep(FileStep):
    """Events and disputes: rows keyed by ``ref`` that belong to a subject and carry a date."""

    fields: tuple[str, ...]
    date_field: str
    # Column key -> how its cells are read (a ``CellParser`` method), in the order of the file.
    kinds: dict[str, str]
    defaults: dict[str, str]  # for empty cells
    limited: tuple[str, ...]  # text columns whose length the model limits
    rule_fields: tuple[str, ...]  # the fields the model's cross-field rules judge together
    lookups = {"subject_code": "subject__code"}
    listed: dict[str, str] = {}  # column key -> the data dictionary list (数据字典) its values come from
    extra_lookups: tuple[str, ...] = ()  # stored values besides the fields, read with ``existing``
    insert_extra: tuple[str, ...] = ()  # columns a new record gets besides its fields (``extra_values``)

    def extra_values(self, ref: str, record: dict) -> tuple:
        """The values of ``insert_extra`` for a new record."""
        return ()

    def _complete(self, refs: list[str], columns: dict[str, list]) -> None:
        """Fill in what depends on other columns, once the defaults are in (a hook)."""

    def _check_more(
        self, refs: list[str], columns: dict[str, list], problems: dict[int, dict[str, str]]
    ) -> None:
        """The file's own checks beyond the shared ones (a hook)."""

    def differs(self, existing: dict, record: dict) -> bool:
        return existing["subject__code"] != record["subject_code"] or any(
            existing[name] != record[name] for name in self.fields
        )

    def subject_codes(self) -> set[str]:
        return self.importer.subject_codes

    @cached_property
    def existing(self) -> dict[str, dict]:
        """Ref -> the stored record, for every ref the file names (valid row or not), looked up once for
        the columns a file leaves out and for the plan."""
        stored = self.model.objects.values("id", "ref", "subject__code", *self.fields, *self.extra_lookups)
        return {row["ref"]: row for row in filter_in(stored, "ref", self.codes, key_of=itemgetter("ref"))}

    def stored_cells(self, columns: list[str]) -> dict[str, dict[str, str]]:
        lookups = [self.lookups.get(column, column) for column in columns]
        return {
            ref: {column: as_cell(row[lookup]) for column, lookup in zip(columns, lookups, strict=True)}
            for ref, row in self.existing.items()
        }

    def plan(self) -> FileResult:
        self.changed: list[str] = []
        for ref, record in self.records.items():
            existing = self.existing.get(ref)
            if existing is None:
                self.result.created += 1
            elif self.differs(existing, record):
                self.result.updated += 1
                self.changed.append(ref)
            else:
                self.result.unchanged += 1
        return self.result

    def apply(self) -> None:
        subjects = {
            code: (pk, path)
            for code, pk, path in filter_in(
                Subject.objects.values_list("code", "id", "region__path"),
                "code",
                {record["subject_code"] for record in self.records.values()},
                key_of=itemgetter(0),
            )
        }
        subject_ids = {code: pk for code, (pk, _path) in subjects.items()}
        self.region_paths = {code: path for code, (_pk, path) in subjects.items()}

        def build(record: dict, pk: int | None = None) -> models.Model:
            return self.model(
                pk=pk,
                ref=record["ref"],
                subject_id=subject_ids[record["subject_code"]],
                **{name: record[name] for name in self.fields},
            )

        now = timezone.now()
        columns = [
            "ref",
            "subject_id",
            *self.fields,
            *self.insert_extra,
            "version",
            "created_at",
            "updated_at",
        ]
        values = itemgetter(*self.fields)
        extra = self.extra_values
        with bulk_load(self.model, self.result.created):
            fast_insert(
                self.model,
                columns,
                self.importer.progress.counted(
                    (
                        ref,
                        subject_ids[record["subject_code"]],
                        *values(record),
                        *extra(ref, record),
                        1,
                        now,
                        now,
                    )
                    for ref, record in self.records.items()
                    if ref not in self.existing
                ),
            )
        updates = [build(self.records[ref], pk=self.existing[ref]["id"]) for ref in self.changed]
        self.model.objects.bulk_update(
            updates, with_indexes(self.model, ["subject", *self.fields]), batch_size=500
        )
        if updates:
            for chunk in chunks(record.pk for record in updates):
                self.model.objects.filter(pk__in=chunk).update(version=models.F("version") + 1)
        years = self.importer.touched_years
        years.update(
            record[self.date_field].year
            for record in (self.records[ref] for ref in self.records if ref not in self.existing)
        )
        years.update(self.records[ref][self.date_field].year for ref in self.changed)
        years.update(self.existing[ref][self.date_field].year for ref in self.changed)

    def audit_entries(self) -> tuple[int, Iterable[Change]]:
        """Made as they are appended rather than queued: a province's file holds millions of records."""
        count = self.result.created + self.result.updated
        if not count:
            return 0, ()

        def entries() -> Iterator[Change]:
            for ref in self.written():
                record = self.records[ref]
                yield self.change(
                    ref, self.region_paths[record["subject_code"]], record, self.existing.get(ref)
                )

        return count, entries()

    def validate(self) -> None:
        """Column by column rather than row by row (and by hand rather than with full_clean): a province
        imports millions of events, and the cells of a column repeat, so each distinct cell is parsed
        once. Problems are reported as the row-by-row steps do: by row, first problem per cell."""
        if self.table is None:
            return
        refs = column_cells(self.table, "ref")
        problems: dict[int, dict[str, str]] = defaultdict(dict)
        columns = self._parsed_columns(refs, problems)
        self._check_refs(refs, problems)
        for key, default in self.defaults.items():
            columns[key] = [value or default for value in columns[key]]
        self._complete(refs, columns)
        self._unmask(refs, columns, problems)
        self._check_subjects(columns["subject_code"], problems)
        self._check_joined(columns, problems)
        if self.importer.scope.limited:
            self._check_scope(refs, problems)
        self._check_lengths(columns, problems)
        self._check_listed(refs, columns, problems)
        self._check_rules(columns, problems)
        self._check_more(refs, columns, problems)
        duplicates = self._duplicates(refs)
        self._report(problems, duplicates)
        self._keep_valid_rows(columns, problems, duplicates)

    # Each check below runs over whole columns and, since nearly every row is good, looks at rows one by
    # one only once it knows that some row fails.

    def _unmask(self, refs: list[str], columns: dict[str, list], problems: dict[int, dict[str, str]]) -> None:
        """A personal cell holding the mask of the stored value (a masked export coming back) keeps the
        stored value, so the round trip changes nothing; any other masked cell is refused, never stored."""
        for name, field in PERSONAL_FIELDS.get(self.model._meta.model_name, {}).items():
            if name not in columns or not any("*" in value for value in columns[name]):
                continue
            for index, (ref, value) in enumerate(zip(refs, columns[name], strict=True)):
                if "*" not in value:
                    continue
                stored = self.existing.get(ref, {}).get(name)
                if stored and field.mask(stored) == value:
                    columns[name][index] = stored
                else:
                    problems[index].setdefault(
                        name,
                        _("“%(value)s” is a masked value; give the full value or leave the stored one.")
                        % {"value": value},
                    )

    def _check_refs(self, refs: list[str], problems: dict[int, dict[str, str]]) -> None:
        """Every ref fits the pattern of ``validate_ref`` (checked for the whole column in one pass first)."""
        joined = "\n".join(refs)
        if ".." not in joined and SAFE_REF_LINES.fullmatch(joined):
            return
        for index, ref in enumerate(refs):
            if problem := ref_problem(ref):
                problems[index].setdefault("ref", problem)

    def _check_subjects(self, codes: list[str], problems: dict[int, dict[str, str]]) -> None:
        """Every row names a subject of the bundle or of the system, inside the caller's scope."""
        subject_codes = self.subject_codes()
        if set(codes) - subject_codes - {""}:
            for index, code in enumerate(codes):
                if code and code not in subject_codes:
                    problems[index].setdefault("subject_code", self._unknown_subject(code))

    def _check_joined(self, columns: dict[str, list], problems: dict[int, dict[str, str]]) -> None:
        """A record dated before its subject joined is refused, as the services refuse it
        (``record_date_problem``); each distinct (subject, date) pair is judged once."""
        pairs = set(zip(columns["subject_code"], columns[self.date_field], strict=True))
        joined = self.importer.joined_dates({code for code, _day in pairs})
        bad = {
            (code, day): problem
            for code, day in pairs
            if day and code in joined and (problem := record_date_problem(day, joined_on=joined[code]))
        }
        if bad:
            for index, pair in enumerate(zip(columns["subject_code"], columns[self.date_field], strict=True)):
                if pair in bad:
                    problems[index].setdefault(self.date_field, bad[pair])

    def _check_listed(
        self, refs: list[str], columns: dict[str, list], problems: dict[int, dict[str, str]]
    ) -> None:
        """Values of a county-edited list (``listed``) are enabled codes of it, as the services require
        (``check_choice``): empty, or the value already stored on the record, is also fine."""
        for key, list_type in self.listed.items():
            unlisted = set(columns[key]) - enabled_codes(list_type) - {""}
            if not unlisted:
                continue
            for index, (ref, value) in enumerate(zip(refs, columns[key], strict=True)):
                stored = self.existing.get(ref, {}).get(key)
                if value in unlisted and value != stored:
                    try:
                        check_choice(list_type, value, field=key)
                    except ValidationError as error:
                        problems[index].setdefault(key, error.message_dict[key][0])

    def _check_lengths(self, columns: dict[str, list], problems: dict[int, dict[str, str]]) -> None:
        """Text fits the model's field."""
        for key in self.limited:
            limit = self.model._meta.get_field(key).max_length
            if max(map(len, columns[key]), default=0) > limit:
                message = _("Too long: at most %(limit)s characters.") % {"limit": limit}
                for index, value in enumerate(columns[key]):
                    if len(value) > limit:
                        problems[index].setdefault(key, message)

    def _check_rules(self, columns: dict[str, list], problems: dict[int, dict[str, str]]) -> None:
        """The model's cross-field rules (``rules``), judged once per distinct combination of values."""
        combinations = list(zip(*(columns[name] for name in self.rule_fields), strict=True))
        judged = {
            combination: self.rules(**dict(zip(self.rule_fields, combination, strict=True)))
            for combination in set(combinations)
        }
        if any(judged.values()):
            for index, combination in enumerate(combinations):
                for field_name, message in judged[combination].items():
                    problems[index].setdefault(field_name, message)

    def _keep_valid_rows(
        self, columns: dict[str, list], problems: dict[int, dict[str, str]], duplicates: dict[int, int]
    ) -> None:
        """Keep one record per good row, for the plan and the writes."""
        # One dict per row, built by C loops (map and zip) rather than a Python loop over millions.
        records = map(dict, map(zip, repeat(list(self.kinds)), zip(*columns.values(), strict=True)))
        if not problems and not duplicates:
            self.records.update(zip(columns["ref"], records, strict=True))
            return
        for index, record in enumerate(records):
            if index not in problems and index not in duplicates:
                self.records[record["ref"]] = record

    def _unknown_subject(self, code: str) -> str:
        if code in self.importer.foreign_subject_codes:
            return self.importer.scope.outside(_("Subject “%(code)s”") % {"code": code})
        return _("Unknown subject code “%(code)s”.") % {"code": code}

    def _check_scope(self, refs: list[str], problems: dict[int, dict[str, str]]) -> None:
        """A stored record whose subject lies outside the caller's scope is not theirs to change, even
        to a subject of their own."""
        stored = {row["subject__code"] for row in self.existing.values()}
        foreign = stored - self.importer.scope.subjects_within(stored)
        if not foreign:
            return
        for index, ref in enumerate(refs):
            if ref in self.existing and self.existing[ref]["subject__code"] in foreign:
                message = self.importer.scope.outside(_("Record “%(ref)s”") % {"ref": ref})
                problems[index].setdefault("ref", message)

    def _parsed_columns(self, refs: list[str], problems: dict[int, dict[str, str]]) -> dict[str, list]:
        """Column key -> the parsed value of every row. A column the file leaves out keeps the stored
        value of an existing record (and the default of a new one), so a partial file never wipes data."""
        absent = [key for key in self.kinds if key not in self.table.columns]
        stored = self.stored_cells(absent) if absent else {}
        cells = CellParser(self.table, self.importer.today)
        columns = {}
        # Checked column by column, not row by row: progress moves by the share of columns parsed.
        start, rows = self.importer.progress.done, len(refs)
        for position, (key, kind) in enumerate(self.kinds.items()):
            self.importer.progress.reach(start + rows * position // (len(self.kinds) + 1))
            if key not in absent:
                texts = column_cells(self.table, key)
            elif stored:
                texts = [stored[ref][key] if ref in stored else "" for ref in refs]
            else:
                texts = [""] * len(refs)
            if kind == "text" and self._plainly_valid(key, texts):
                columns[key] = texts  # names, codes and titles rarely repeat: don't parse them one by one
                continue
            parse = cells.text if kind == "text" else partial(cells.typed, kind)
            parsed = {text: parse(key, text) for text in set(texts)}
            columns[key] = list(map(itemgetter(0), map(parsed.__getitem__, texts)))
            if any(problem for _value, problem in parsed.values()):
                for index, text in enumerate(texts):
                    if problem := parsed[text][1]:
                        problems[index].setdefault(key, problem)
        return columns

    def _plainly_valid(self, key: str, texts: list[str]) -> bool:
        """Whether no cell of a text column can fail ``CellParser.text``, checked in one pass."""
        if "" in texts and self.spec.column(key).required:
            return False
        return not CONTROL_CHARACTERS.search("\n".join(texts))  # \n itself is not a control character here

    @staticmethod
    def _duplicates(refs: list[str]) -> dict[int, int]:
        """Row index -> index of the earlier row with the same ref."""
        if len(set(refs)) == len(refs):
            return {}
        first: dict[str, int] = {}
        duplicates = {}
        for index, ref in enumerate(refs):
            if ref in first:
                duplicates[index] = first[ref]
            elif ref:
                first[ref] = index
        return duplicates

    def _report(self, problems: dict[int, dict[str, str]], duplicates: dict[int, int]) -> None:
        """Turn the problems into RowErrors, in row order; a duplicate row reports only that."""
        numbers = [number for number, _row in self.table.rows]
        for index in sorted(problems.keys() | duplicates.keys()):
            if index in duplicates:
                message = _("“%(code)s” already appears in row %(row)s of this file.") % {
                    "code": self.table.rows[index][1].get("ref", ""),
                    "row": numbers[duplicates[index]],
                }
                found = {"ref": message}
            else:
                found = problems[index]
            for key, message in found.items():
                title = self.spec.column(key).title if key else ""
                self.importer.errors.append(RowError(self.table.name, numbers[index], title, str(message)))


class EventsStep(RecordStep):
    spec = EVENTS
    model = Event
    fields = EVENT_FIELDS
    date_field = "occurred_on"
    kinds = {
        "ref": "text",
        "type": "choice",
        "subject_code": "text",
        "occurred_on": "past_date",
        "title": "text",
        "petition_level": "choice",
        "higher_authority_required": "flag",
        "collective": "flag",
        "accident_grade": "choice",
        "deaths": "count",
        "injuries": "count",
        "status": "choice",
        "hazard_ref": "text",  # optional (issue 15): the hazard of the same subject an accident came from
    }
    defaults = {"status": "reported"}
    limited = ("ref", "title")
    rule_fields = EVENT_RULE_FIELDS
    lookups = {"subject_code": "subject__code", "hazard_ref": "hazard__ref"}
    extra_lookups = ("hazard__ref",)
    insert_extra = ("hazard_id",)

    def differs(self, existing: dict, record: dict) -> bool:
        return super().differs(existing, record) or (existing["hazard__ref"] or "") != record["hazard_ref"]

    def _check_more(
        self, refs: list[str], columns: dict[str, list], problems: dict[int, dict[str, str]]
    ) -> None:
        """A named hazard is one of the same subject (stored, or in the bundle's hazards file), and only an
        accident or a public-safety event names one."""
        named = set(columns["hazard_ref"]) - {""}
        if not named:
            return
        from sanling.hazards.models import Hazard

        subject_of = dict(
            filter_in(Hazard.objects.values_list("ref", "subject__code"), "ref", named, key_of=itemgetter(0))
        )
        in_file = self.importer.step_for("hazards").records
        subject_of.update({ref: in_file[ref]["subject_code"] for ref in named if ref in in_file})
        for index, (ref, code, kind) in enumerate(
            zip(columns["hazard_ref"], columns["subject_code"], columns["type"], strict=True)
        ):
            if not ref:
                continue
            if kind not in ("accident", "public_safety"):
                problems[index].setdefault(
                    "hazard_ref", _("Only an accident can name the hazard it came from.")
                )
            elif subject_of.get(ref) != code:
                problems[index].setdefault("hazard_ref", _("No hazard with this reference at this subject."))

    def _hazard_ids(self) -> dict[str, int]:
        if not hasattr(self, "_hazards"):
            from sanling.hazards.models import Hazard

            named = {record["hazard_ref"] for record in self.records.values()} - {""}
            self._hazards = dict(
                filter_in(Hazard.objects.values_list("ref", "id"), "ref", named, key_of=itemgetter(0))
            )
        return self._hazards

    def extra_values(self, ref: str, record: dict) -> tuple:
        return (self._hazard_ids().get(record["hazard_ref"]),)

    def apply(self) -> None:
        self._hazard_ids()  # read before the rows stream into COPY, which holds the connection
        super().apply()
        relinked = [
            Event(
                pk=self.existing[ref]["id"], hazard_id=self._hazard_ids().get(self.records[ref]["hazard_ref"])
            )
            for ref in self.changed
            if (self.existing[ref]["hazard__ref"] or "") != self.records[ref]["hazard_ref"]
        ]
        Event.objects.bulk_update(relinked, ["hazard"], batch_size=500)

    @staticmethod
    def rules(**values) -> dict[str, str]:
        # Without a known type there is nothing to check the other fields against.
        return event_rule_errors(**values) if values["type"] else {}
