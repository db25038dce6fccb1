"""The departments file: codes and names."""

from sanling.departments.models import Department

from ..schema import DEPARTMENTS
from .step import BATCH, FileResult, FileStep


class DepartmentsStep(FileStep):
    spec = DEPARTMENTS
    model = Department

    def validate(self) -> None:
        for reader in self.rows():
            code, name = reader.text("code"), reader.text("name")
            if code:
                self.field_error(
                    reader, Department(code=code, name=name), {"code": "code", "name": "name"}, exclude=[]
                )
            if reader.valid:
                self.records[code] = {"code": code, "name": name}
        self.importer.department_codes = self.codes | set(Department.objects.values_list("code", flat=True))

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
