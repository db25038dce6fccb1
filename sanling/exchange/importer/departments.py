"""The departments file: codes and names."""

from django.utils.translation import gettext as _

from sanling.core.queries import filter_in
from sanling.departments.models import Department
from sanling.subjects.models import Subject

from ..schema import DEPARTMENTS
from .cells import RowReader
from .step import BATCH, FileResult, FileStep


class DepartmentsStep(FileStep):
    spec = DEPARTMENTS
    model = Department

    def validate(self) -> None:
        readers: dict[str, RowReader] = {}
        for reader in self.rows():
            code, name = reader.text("code"), reader.text("name")
            if code:
                self.field_error(
                    reader, Department(code=code, name=name), {"code": "code", "name": "name"}, exclude=[]
                )
            if reader.valid:
                self.records[code] = {"code": code, "name": name}
                readers[code] = reader
        if self.importer.scope.limited:
            self._check_scope(readers)
        self.importer.department_codes = self.codes | set(Department.objects.values_list("code", flat=True))

    def _check_scope(self, readers: dict[str, RowReader]) -> None:
        """Departments serve a whole county: a department's users change none of them, and an area's
        administrator may add departments but rename only one whose units all lie in the area."""
        scope = self.importer.scope
        stored = dict(filter_in(Department.objects.values_list("code", "name"), "code", self.records))
        renamed = {code for code, name in stored.items() if self.records[code]["name"] != name}
        if scope.manages_regions:
            shared = set(
                filter_in(
                    Subject.objects.exclude(scope.scope.subject_q()).values_list(
                        "department__code", flat=True
                    ),
                    "department__code",
                    renamed,
                )
            )
        else:
            own = scope.scope.department.code if scope.scope.department else None
            shared = set(self.records) - ({own} - renamed)
        for code in sorted(shared & set(readers)):
            readers[code].error("code", scope.outside(_("Department “%(code)s”") % {"code": code}))
            del self.records[code]

    def plan(self) -> FileResult:
        self.existing = {
            department.code: department for department in Department.objects.filter(code__in=self.records)
        }
        for code, record in self.records.items():
            existing = self.existing.get(code)
            if existing is None:
                self.result.created += 1
            elif existing.name != record["name"]:
                self.result.updated += 1
            else:
                self.result.unchanged += 1
        return self.result

    def apply(self) -> None:
        Department.objects.bulk_create(
            [Department(**record) for code, record in self.records.items() if code not in self.existing],
            batch_size=BATCH,
        )
        for code, record in self.records.items():
            if code not in self.existing:
                self.audit(code, "", record)
        changed = []
        for code, department in self.existing.items():
            if department.name != self.records[code]["name"]:
                self.audit(code, "", self.records[code], {"code": code, "name": department.name})
                department.name = self.records[code]["name"]
                changed.append(department)
        Department.objects.bulk_update(changed, ["name"], batch_size=BATCH)
