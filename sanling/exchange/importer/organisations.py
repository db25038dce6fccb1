"""The organisations file (issue 17): who holds cases, placed in the region tree, so the case rows of the
disputes and petitions files can name their organisation (``organisation_code``).

A file lists few organisations, so rows are read one by one and checked with the model's own validation;
members and heads are people, kept on the organisations' pages, not in bundles.
"""

from django.db.models import F
from django.utils.translation import gettext as _

from sanling.core.queries import filter_in
from sanling.departments.models import Department
from sanling.organisations.models import Organisation
from sanling.regions.models import Region

from ..schema import ORGANISATIONS
from .step import FileResult, FileStep

VALUE_FIELDS = ("name", "kind")


class OrganisationsStep(FileStep):
    spec = ORGANISATIONS
    model = Organisation
    lookups = {"region_code": "region__code", "department_code": "department__code"}

    def validate(self) -> None:
        self.existing = {
            row["code"]: row
            for row in filter_in(
                Organisation.objects.values(
                    "id", "code", "name", "kind", "region__code", "region__path", "department__code"
                ),
                "code",
                self.codes,
            )
        }
        region_codes = {
            row.get("region_code", "") for _number, row in (self.table.rows if self.table else [])
        }
        known = dict(filter_in(Region.objects.values_list("code", "path"), "code", region_codes))
        self.paths = {
            code: self.importer.region_paths.get(code) or known.get(code, "") for code in region_codes
        }
        region_levels = self.importer.region_levels
        department_codes = self.importer.department_codes
        scope = self.importer.scope
        for reader in self.rows():
            values = {
                "code": reader.text("code"),
                "name": reader.text("name"),
                "kind": reader.choice("kind"),
            }
            region_code, department_code = reader.text("region_code"), reader.text("department_code")
            if region_code and region_code not in known and region_code not in region_levels:
                reader.error("region_code", _("Unknown region code “%(code)s”.") % {"code": region_code})
            if department_code and department_code not in department_codes:
                reader.error(
                    "department_code", _("Unknown department code “%(code)s”.") % {"code": department_code}
                )
            organisation = Organisation(**values)
            if values["kind"] == "department" and not department_code:
                reader.error("department_code", _("A department's office names its department."))
            self.field_error(
                reader,
                organisation,
                {"code": "code", "name": "name", "kind": "kind"},
                exclude=["region", "department", "head", "code"],
            )
            if scope.limited and reader.valid:
                stored = self.existing.get(values["code"])
                if stored is not None and not scope.covers_path(stored["region__path"]):
                    reader.error(
                        "code", scope.outside(_("Organisation “%(code)s”") % {"code": values["code"]})
                    )
                elif not scope.covers_path(self.paths.get(region_code, "")):
                    reader.error("region_code", scope.outside(_("Region “%(code)s”") % {"code": region_code}))
            if reader.valid:
                self.records[values["code"]] = {
                    **values,
                    "region_code": region_code,
                    "department_code": department_code,
                }

    def places_of(self, codes: set[str]) -> dict[str, tuple[str, str]]:
        """Organisation code -> (path of its region, department code) for the file's organisations: where
        they will stand."""
        return {
            code: (
                self.paths.get(self.records[code]["region_code"], ""),
                self.records[code]["department_code"],
            )
            for code in codes
            if code in self.records
        }

    def plan(self) -> FileResult:
        self.changed: list[str] = []
        for code, record in self.records.items():
            existing = self.existing.get(code)
            if existing is None:
                self.result.created += 1
            elif self._comparable(existing) != self._comparable_record(record):
                self.result.updated += 1
                self.changed.append(code)
            else:
                self.result.unchanged += 1
        return self.result

    @staticmethod
    def _comparable(existing: dict) -> dict:
        return {
            "name": existing["name"],
            "kind": existing["kind"],
            "region_code": existing["region__code"],
            "department_code": existing["department__code"] or "",
        }

    @staticmethod
    def _comparable_record(record: dict) -> dict:
        return {name: record[name] for name in ("name", "kind", "region_code", "department_code")}

    def apply(self) -> None:
        region_codes = {record["region_code"] for record in self.records.values()}
        regions = dict(filter_in(Region.objects.values_list("code", "id"), "code", region_codes))
        paths = dict(filter_in(Region.objects.values_list("code", "path"), "code", region_codes))
        departments = dict(Department.objects.values_list("code", "id"))

        def build(record: dict, pk: int | None = None) -> Organisation:
            return Organisation(
                pk=pk,
                code=record["code"],
                name=record["name"],
                kind=record["kind"],
                region_id=regions[record["region_code"]],
                department_id=departments.get(record["department_code"]),
            )

        Organisation.objects.bulk_create(
            [build(record) for code, record in self.records.items() if code not in self.existing]
        )
        updates = [build(self.records[code], pk=self.existing[code]["id"]) for code in self.changed]
        Organisation.objects.bulk_update(updates, ["name", "kind", "region", "department"])
        if updates:
            Organisation.objects.filter(pk__in=[organisation.pk for organisation in updates]).update(
                version=F("version") + 1
            )
        for code in self.written():
            existing = self.existing.get(code)
            self.audit(
                code,
                paths[self.records[code]["region_code"]],
                self.records[code],
                self._comparable(existing) | {"code": code} if existing else None,
            )
