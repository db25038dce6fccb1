"""The 走访 files (issue 15): ``households.csv`` (households per region and day, the denominator of 覆盖率)
and ``visits.csv`` (one row a household visit, keyed by its ref). Both are idempotent: a row equal to what
is stored changes nothing; a changed row updates the record (its version moves on). A region must be a
stored one or one of the bundle's, inside the caller's area; a visit's region is a village, grid or
building; dates are not in the future; a visit meets at least one person; its theme is a code or a label
of the county's ``visit_theme`` list. Every problem is a Chinese row error and nothing is written.
"""

from django.db.models import F
from django.utils.translation import gettext as _

from sanling.core.queries import filter_in
from sanling.dictionary.models import Entry, EntryType
from sanling.regions.models import LEVEL_RANK, Level, Region
from sanling.visits.models import (
    HOUSEHOLD_LEVELS,
    PERSONS_MET_MAX,
    HouseholdCount,
    HouseholdVisit,
    household_key,
    normalise_household,
    persons_met_too_many,
)

from ..schema import HOUSEHOLDS, VISITS
from ..values import as_cell
from .cells import CellParser, RowReader
from .step import FileResult, FileStep

VISIT_VALUES = ("region_code", "household", "visited_on", "theme", "persons_met", "visitor_name", "findings")
COUNT_VALUES = ("households", "residents", "note")


class _RegionLookup:
    """Where the rows' region codes stand (level and path): stored, or in the bundle's regions file."""

    def __init__(self, step: FileStep, codes: set[str]):
        stored = list(filter_in(Region.objects.values_list("code", "level", "path"), "code", codes))
        self.levels = {code: level for code, level, _path in stored}
        self.paths = {code: path for code, _level, path in stored}
        in_file = step.importer.step_for("regions").records
        for code in codes:
            if code in in_file:
                self.levels[code] = in_file[code]["level"]
                self.paths[code] = step.importer.region_paths.get(code) or self.paths.get(code, "")

    def check(
        self, step: FileStep, reader: RowReader, code: str, levels: tuple[str, ...] | None = None
    ) -> None:
        scope = step.importer.scope
        if not code:
            return
        if code not in self.levels:
            reader.error("region_code", _("Unknown region code “%(code)s”.") % {"code": code})
        elif levels is not None and self.levels[code] not in levels:
            reader.error(
                "region_code",
                _("A household stands in a village (community), a grid or a building, not in a %(level)s.")
                % {
                    "level": Level(self.levels[code]).label
                    if self.levels[code] in LEVEL_RANK
                    else self.levels[code]
                },
            )
        elif scope.limited and (
            scope.scope.region is None
            or not scope.scope.sees_business_data
            or not scope.covers_path(self.paths.get(code, ""))
        ):
            reader.error("region_code", scope.outside(_("Region “%(code)s”") % {"code": code}))


def _region_ids(codes: set[str]) -> dict[str, tuple[int, str]]:
    return {
        code: (pk, path)
        for code, pk, path in filter_in(Region.objects.values_list("code", "id", "path"), "code", codes)
    }


class HouseholdsStep(FileStep):
    spec = HOUSEHOLDS
    model = HouseholdCount

    def validate(self) -> None:
        self.existing: dict[tuple[str, str], dict] = {}
        rows = self.table.rows if self.table else []
        codes = {row.get("region_code", "") for _number, row in rows} - {""}
        for stored in filter_in(
            HouseholdCount.objects.values("id", "region__code", "as_of", *COUNT_VALUES), "region__code", codes
        ):
            self.existing[stored["region__code"], as_cell(stored["as_of"])] = stored
        places = _RegionLookup(self, codes)
        cells = CellParser(self.table, self.importer.today) if self.table else None
        seen: dict[tuple[str, str], int] = {}
        for number, row in rows:
            self.importer.progress.advance()
            reader = RowReader(self.table, number, row, self.importer.errors, cells)
            code, as_of = reader.text("region_code"), reader.past_date("as_of")
            households = reader.count("households")
            key = (code, as_cell(as_of))
            stored = self.existing.get(key)
            residents = reader.count("residents") if "residents" in self.table.columns else None
            if "residents" not in self.table.columns and stored:
                residents = stored["residents"]
            elif "residents" in self.table.columns and not row.get("residents"):
                residents = None
            note = reader.text("note") if "note" in self.table.columns else (stored["note"] if stored else "")
            places.check(self, reader, code)
            if row.get("households") and households < 1:
                reader.error("households", _("A region has at least one household."))
            if residents is not None and households and residents < households:
                reader.error("residents", _("A region cannot have fewer residents than households."))
            if key in seen and reader.valid:
                reader.error(
                    "as_of",
                    _("“%(code)s” as of %(day)s already appears in row %(row)s of this file.")
                    % {"code": code, "day": key[1], "row": seen[key]},
                )
            seen.setdefault(key, number)
            if reader.valid:
                self.records[key] = {
                    "region_code": code,
                    "as_of": as_of,
                    "households": households,
                    "residents": residents,
                    "note": note,
                }
        self.paths = places.paths

    def plan(self) -> FileResult:
        self.changed: list[tuple[str, str]] = []
        for key, record in self.records.items():
            stored = self.existing.get(key)
            if stored is None:
                self.result.created += 1
            elif any(stored[name] != record[name] for name in COUNT_VALUES):
                self.result.updated += 1
                self.changed.append(key)
            else:
                self.result.unchanged += 1
        return self.result

    def apply(self) -> None:
        regions = _region_ids({code for code, _day in self.records})

        def build(record: dict, pk: int | None = None) -> HouseholdCount:
            return HouseholdCount(
                pk=pk,
                region_id=regions[record["region_code"]][0],
                as_of=record["as_of"],
                households=record["households"],
                residents=record["residents"],
                note=record["note"],
            )

        HouseholdCount.objects.bulk_create(
            [build(r) for key, r in self.records.items() if key not in self.existing]
        )
        updates = [build(self.records[key], pk=self.existing[key]["id"]) for key in self.changed]
        HouseholdCount.objects.bulk_update(updates, list(COUNT_VALUES))
        if updates:
            HouseholdCount.objects.filter(pk__in=[count.pk for count in updates]).update(
                version=F("version") + 1
            )
        for key in self.written():
            record = self.records[key]
            stored = self.existing.get(key)
            self.audit(
                f"{key[0]}@{key[1]}",
                regions[record["region_code"]][1],
                {**record, "as_of": as_cell(record["as_of"])},
                {**{name: stored[name] for name in COUNT_VALUES}, "region_code": key[0], "as_of": key[1]}
                if stored
                else None,
            )


def _theme_codes() -> tuple[dict[str, str], set[str]]:
    """Every accepted spelling of a theme (code or label) -> code, for the enabled themes; and every code
    ever listed (a stored record may keep a disabled one)."""
    entries = list(Entry.objects.filter(type=EntryType.VISIT_THEME).values_list("code", "label", "enabled"))
    spellings = {}
    for code, label, enabled in entries:
        if enabled:
            spellings[code] = code
            spellings[label] = code
    return spellings, {code for code, _label, _enabled in entries}


class VisitsStep(FileStep):
    spec = VISITS
    model = HouseholdVisit
    lookups = {"region_code": "region__code"}

    def validate(self) -> None:
        self.existing = {
            row["ref"]: row
            for row in filter_in(
                HouseholdVisit.objects.values(
                    "id",
                    "ref",
                    "region__code",
                    "region__path",
                    "household",
                    "visited_on",
                    "theme",
                    "persons_met",
                    "visitor_name",
                    "findings",
                ),
                "ref",
                self.codes,
            )
        }
        rows = self.table.rows if self.table else []
        codes = {row.get("region_code", "") for _number, row in rows} - {""}
        codes |= {stored["region__code"] for stored in self.existing.values()}
        places = _RegionLookup(self, codes)
        spellings, _known = _theme_codes()
        scope = self.importer.scope
        for reader in self.rows():
            ref = reader.text("ref")
            code = reader.text("region_code")
            household = normalise_household(reader.text("household"))
            visited_on = reader.past_date("visited_on")
            theme_text = reader.text("theme")
            persons = reader.count("persons_met") if reader.row.get("persons_met") else 1
            stored = self.existing.get(ref)
            theme = spellings.get(theme_text, "")
            if theme_text and not theme:
                if stored is not None and theme_text == stored["theme"]:
                    theme = theme_text  # a disabled theme the record already carries stays
                else:
                    reader.error(
                        "theme",
                        _(
                            "“%(value)s” is not in the list of visit themes (数据字典); use one of: %(options)s."
                        )
                        % {
                            "value": theme_text,
                            "options": "、".join(sorted(set(spellings) - set(spellings.values()))),
                        },
                    )
            if reader.row.get("persons_met") and persons < 1:
                reader.error("persons_met", _("A visit meets at least one person."))
            elif persons > PERSONS_MET_MAX:
                reader.error("persons_met", persons_met_too_many())
            if reader.row.get("household") and not household:
                reader.error("household", _("Give the household's house number (门牌号 or 户号)."))
            elif len(household) > 60:
                reader.error("household", _("A house number has at most 60 characters."))
            if stored is not None and scope.limited and not scope.covers_path(stored["region__path"]):
                reader.error("ref", scope.outside(_("Visit “%(ref)s”") % {"ref": ref}))
            places.check(self, reader, code, HOUSEHOLD_LEVELS)
            if reader.valid:
                self.records[ref] = {
                    "ref": ref,
                    "region_code": code,
                    "household": household,
                    "visited_on": visited_on,
                    "theme": theme,
                    "persons_met": persons,
                    "visitor_name": reader.row.get("visitor_name", "")[:60],
                    "findings": reader.row.get("findings", ""),
                }
        self.paths = places.paths

    @staticmethod
    def _comparable(stored: dict) -> dict:
        return {
            **{name: stored[name] for name in VISIT_VALUES if name != "region_code"},
            "region_code": stored["region__code"],
        }

    def plan(self) -> FileResult:
        self.changed: list[str] = []
        for ref, record in self.records.items():
            stored = self.existing.get(ref)
            if stored is None:
                self.result.created += 1
            elif self._comparable(stored) != {name: record[name] for name in VISIT_VALUES}:
                self.result.updated += 1
                self.changed.append(ref)
            else:
                self.result.unchanged += 1
        return self.result

    def apply(self) -> None:
        regions = _region_ids({record["region_code"] for record in self.records.values()})

        def build(record: dict, pk: int | None = None) -> HouseholdVisit:
            return HouseholdVisit(
                pk=pk,
                ref=record["ref"],
                region_id=regions[record["region_code"]][0],
                household=record["household"],
                household_key=household_key(record["region_code"], record["household"]),
                visited_on=record["visited_on"],
                theme=record["theme"],
                persons_met=record["persons_met"],
                visitor_name=record["visitor_name"],
                findings=record["findings"],
            )

        HouseholdVisit.objects.bulk_create(
            [build(record) for ref, record in self.records.items() if ref not in self.existing],
            batch_size=2000,
        )
        updates = [build(self.records[ref], pk=self.existing[ref]["id"]) for ref in self.changed]
        HouseholdVisit.objects.bulk_update(
            updates,
            [
                "region",
                "household",
                "household_key",
                "visited_on",
                "theme",
                "persons_met",
                "visitor_name",
                "findings",
            ],
            batch_size=2000,
        )
        if updates:
            HouseholdVisit.objects.filter(pk__in=[visit.pk for visit in updates]).update(
                version=F("version") + 1
            )
        for ref in self.written():
            record = self.records[ref]
            stored = self.existing.get(ref)
            self.audit(
                ref,
                regions[record["region_code"]][1],
                {**record, "visited_on": as_cell(record["visited_on"])},
                {**self._comparable(stored), "visited_on": as_cell(stored["visited_on"])} if stored else None,
            )
