"""The sectors file (issue 15): a town's 片区 — its 一级网格 such as 商桥镇's 东/南/西/中 — and their villages.

A sector's code is unique in its town, so a row is keyed by ``town_code`` + ``code``; its villages are
listed in one cell, separated by ``;``, ``、`` or spaces. A county has a few dozen sectors: rows are read one
by one.
"""

import re

from django.db.models import F
from django.utils.translation import gettext as _

from sanling.core.queries import filter_in
from sanling.core.validators import ref_problem
from sanling.grids.models import Sector
from sanling.regions.models import Region

from ..schema import SECTORS
from .cells import CellParser, RowReader
from .step import FileResult, FileStep

SEPARATORS = re.compile(r"[;；、,，\s]+")


def village_codes(text: str) -> list[str]:
    return [code for code in SEPARATORS.split(text) if code]


class SectorsStep(FileStep):
    spec = SECTORS
    model = Sector

    def validate(self) -> None:
        self.existing: dict[tuple[str, str], dict] = {}
        if self.table is None:
            return
        rows = self.table.rows
        named = {row.get("town_code", "") for _number, row in rows}
        for row_codes in (village_codes(row.get("village_codes", "")) for _number, row in rows):
            named.update(row_codes)
        stored = {
            code: (level, parent or "", path)
            for code, level, parent, path in filter_in(
                Region.objects.values_list("code", "level", "parent__code", "path"),
                "code",
                named - {""},
                key_of=lambda row: row[0],
            )
        }
        in_file = self.importer.step_for("regions").records
        for sector in (
            Sector.objects.filter(town__code__in=named).select_related("town").prefetch_related("villages")
        ):
            self.existing[(sector.town.code, sector.code)] = {
                "id": sector.pk,
                "name": sector.name,
                "villages": sorted(village.code for village in sector.villages.all()),
            }
        scope = self.importer.scope
        cells = CellParser(self.table, self.importer.today)
        seen: dict[tuple[str, str], int] = {}
        for number, row in rows:
            self.importer.progress.advance()
            reader = RowReader(self.table, number, row, self.importer.errors, cells)
            town, code, name = reader.text("town_code"), reader.text("code"), reader.text("name")
            villages = sorted(set(village_codes(reader.text("village_codes"))))
            level, _parent, path = stored.get(town) or (in_file.get(town, {}).get("level", ""), "", "")
            path = self.importer.region_paths.get(town) or path
            if town and level != "town":
                reader.error("town_code", _("“%(code)s” is not a town.") % {"code": town})
            elif town and scope.limited and not scope.covers_path(path):
                reader.error("town_code", scope.outside(_("Region “%(code)s”") % {"code": town}))
            if code and (problem := ref_problem(code)):
                reader.error("code", problem)
            if len(name) > Sector._meta.get_field("name").max_length:
                reader.error("name", _("Too long: at most %(limit)s characters.") % {"limit": 100})
            stray = [
                village for village in villages if self._place(village, stored, in_file) != ("village", town)
            ]
            if stray:
                reader.error(
                    "village_codes",
                    _("Not villages of %(town)s: %(names)s.") % {"town": town, "names": "、".join(stray)},
                )
            if not reader.valid:
                continue
            key = (town, code)
            if key in seen:
                reader.error(
                    "code",
                    _("“%(code)s” already appears in row %(row)s of this file.")
                    % {"code": code, "row": seen[key]},
                )
                continue
            seen[key] = number
            self.records[key] = {"town_code": town, "code": code, "name": name, "villages": villages}

    @staticmethod
    def _place(code: str, stored: dict, in_file: dict) -> tuple[str, str]:
        """(level, parent code) of a region: as the bundle's regions file says, else as stored."""
        if code in in_file:
            return in_file[code]["level"], in_file[code]["parent_code"]
        level, parent, _path = stored.get(code, ("", "", ""))
        return level, parent

    def sector_keys(self) -> set[tuple[str, str]]:
        """(town code, sector code) of the sectors the file holds, for the posts file to name."""
        return set(self.records)

    def plan(self) -> FileResult:
        self.changed: list[tuple[str, str]] = []
        for key, record in self.records.items():
            existing = self.existing.get(key)
            if existing is None:
                self.result.created += 1
            elif (existing["name"], existing["villages"]) != (record["name"], record["villages"]):
                self.result.updated += 1
                self.changed.append(key)
            else:
                self.result.unchanged += 1
        return self.result

    def written(self):
        yield from (key for key in self.records if key not in self.existing)
        yield from self.changed

    def apply(self) -> None:
        codes = {record["town_code"] for record in self.records.values()}
        codes |= {village for record in self.records.values() for village in record["villages"]}
        regions = {
            code: (pk, path)
            for code, pk, path in filter_in(
                Region.objects.values_list("code", "id", "path"), "code", codes, key_of=lambda row: row[0]
            )
        }
        for key in self.written():
            record, existing = self.records[key], self.existing.get(key)
            if existing is None:
                sector = Sector.objects.create(
                    town_id=regions[record["town_code"]][0], code=record["code"], name=record["name"]
                )
            else:
                Sector.objects.filter(pk=existing["id"]).update(name=record["name"], version=F("version") + 1)
                sector = Sector(pk=existing["id"])
            sector.villages.set([regions[village][0] for village in record["villages"]])
            self.audit(
                f"{record['town_code']}:{record['code']}",
                regions[record["town_code"]][1],
                _cells(record),
                _cells(existing | {"town_code": record["town_code"], "code": record["code"]})
                if existing
                else None,
            )


def _cells(record: dict) -> dict:
    return {
        "town_code": record["town_code"],
        "code": record["code"],
        "name": record["name"],
        "village_codes": "；".join(record["villages"]),
    }
