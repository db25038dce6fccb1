"""The key_people file (重点人员, issue 15 item 9): key persons, keyed by ``ref``, written through the keypeople
services (identities encrypted at rest, ID numbers checked with python-stdnum, the work item of their visits
opened or followed, every write audited by the service).

Each row is parsed by ``sanling.keypeople.importer.row_values``, the parser of ``sanling key_people import``,
so one file works in both. A masked identity cell (an export without unmasking) keeps the stored value; a
row in a region outside the importer's subtree is refused. Every message shows identities masked.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.core.queries import filter_in
from sanling.core.validators import ref_problem
from sanling.keypeople.exports import post_cell, post_labels
from sanling.keypeople.importer import IDENTITY, post_named, row_values
from sanling.keypeople.models import PERSON_LEVELS, KeyPerson
from sanling.keypeople.services import key_person_create, key_person_release, key_person_update
from sanling.personal.fields import blind_q
from sanling.personal.identity import normalize_id_number
from sanling.regions.models import Region

from ..reader import BundleInvalid, RowError
from ..schema import KEY_PEOPLE
from .cells import CellParser, RowReader
from .step import FileResult, FileStep

COMPARED = ("region_code", "category", "risk_level", "handler", "note", "active", *IDENTITY)
FIELD_COLUMNS = {"region": "region_code", "__all__": ""}


def _stored_cells(person: KeyPerson, labels: dict[str, str]) -> dict[str, str]:
    """A stored person as the cells of a row (identities in clear: never written out, only compared)."""
    return {
        "post": post_cell(person.post, labels),
        "region_code": person.region.code,
        "category": person.category,
        "risk_level": person.risk_level,
        "handler": person.handler.get_username() if person.handler_id else "",
        "registered_on": person.registered_on.isoformat(),
        "active": "是" if person.active else "否",
        "note": person.note,
        **{name: getattr(person, name) or "" for name in IDENTITY},
    }


class KeyPeopleStep(FileStep):
    spec = KEY_PEOPLE
    model = KeyPerson

    def validate(self) -> None:
        self.existing: dict[str, KeyPerson] = {}
        if self.table is None:
            return
        rows = self.table.rows
        refs = {row.get("ref", "") for _number, row in rows} - {""}
        people = KeyPerson.objects.select_related("region", "handler", "post")
        self.existing = {
            person.ref: person for person in filter_in(people, "ref", refs, key_of=lambda person: person.ref)
        }
        region_codes = {row.get("region_code", "") for _number, row in rows} - {""}
        stored_regions = {
            region.code: region
            for region in filter_in(Region.objects.all(), "code", region_codes, key_of=lambda r: r.code)
        }
        self.labels = post_labels()
        scope = self.importer.scope
        cells = CellParser(self.table, self.importer.today)
        seen: dict[str, int] = {}
        ids_seen: dict[str, int] = {}
        for number, row in rows:
            self.importer.progress.advance()
            reader = RowReader(self.table, number, row, self.importer.errors, cells)
            ref = row.get("ref", "")
            if problem := ref_problem(ref):
                reader.error("ref", problem)
                continue
            if ref in seen:
                reader.error(
                    "ref",
                    _("“%(code)s” already appears in row %(row)s of this file.")
                    % {"code": ref, "row": seen[ref]},
                )
                continue
            seen[ref] = number
            person = self.existing.get(ref)
            if person is not None:  # a column the file leaves out keeps the stored value
                stored = _stored_cells(person, self.labels)
                row = {**{key: stored[key] for key in stored if key not in self.table.columns}, **row}
            region_code = row.get("region_code", "")
            region = stored_regions.get(region_code)
            level = region.level if region else self.importer.region_levels.get(region_code, "")
            path = self.importer.region_paths.get(region_code) or (region.path if region else "")
            if not level:
                reader.error("region_code", _("Unknown region code “%(code)s”.") % {"code": region_code})
            elif level not in PERSON_LEVELS:
                reader.error(
                    "region_code", _("A key person is placed in a village, community, grid or building.")
                )
            elif scope.limited and not scope.covers_path(path):
                reader.error("region_code", scope.outside(_("Region “%(code)s”") % {"code": region_code}))
            values, problems = row_values(row, person=person)
            for key, message in problems.items():
                reader.error(key, message)
            if id_number := normalize_id_number(values["id_number"]) if "id_number" not in problems else "":
                if id_number in ids_seen:
                    reader.error(
                        "id_number",
                        _("The same ID number already appears in row %(row)s of this file.")
                        % {"row": ids_seen[id_number]},
                    )
                ids_seen[id_number] = number
                others = KeyPerson.objects.filter(blind_q(KeyPerson, "id_number", id_number))
                if others.exclude(ref=ref).exists():
                    reader.error("id_number", _("A key person with this ID number is already registered."))
            post = cell = " ".join(row.get("post", "").split())
            if region is not None and reader.valid:
                try:
                    post = post_named(cell, region, current=person and person.post, labels=self.labels)
                except ValidationError as error:
                    if not self._in_bundle_posts(cell):  # else looked up once the posts file is written
                        reader.error("post", " ".join(error.message_dict["post"]))
            elif not cell:
                post = None  # else: a place this bundle creates; its post is looked up once written
            if reader.valid:
                self.records[ref] = {
                    "ref": ref,
                    "region_code": region_code,
                    **values,
                    "post": post,
                    "number": number,
                }

    def _in_bundle_posts(self, cell: str) -> bool:
        """Whether this bundle's posts file holds a post held today that ``cell`` ("<岗位> <姓名>") names."""
        post_type, _space, holder = cell.partition(" ")
        codes = {code for code, label in self.labels.items() if post_type in (code, label)}
        today = self.importer.today
        return any(
            record["post_type"] in codes
            and record["holder_name"] == holder
            and record["started_on"] <= today
            and (record["ended_on"] is None or record["ended_on"] > today)
            for record in self.importer.step_for("posts").records.values()
        )

    def _cells(self, record: dict) -> dict[str, str]:
        return {
            **{key: record[key] for key in ("region_code", "category", "risk_level", "note", *IDENTITY)},
            "handler": record["handler"].get_username() if record["handler"] else "",
            "active": "是" if record["active"] else "否",
        }

    def plan(self) -> FileResult:
        self.changed: list[str] = []
        for ref, record in self.records.items():
            person = self.existing.get(ref)
            if person is None:
                self.result.created += 1
                continue
            stored, cells = _stored_cells(person, self.labels), self._cells(record)
            post = record["post"]
            if any(stored[key] != cells[key] for key in COMPARED) or (
                isinstance(post, str) or (post.pk if post else None) != person.post_id
            ):
                self.result.updated += 1
                self.changed.append(ref)
            else:
                self.result.unchanged += 1
        return self.result

    def apply(self) -> None:
        """Write through the services, as the actor whose scope the import runs in (none: the operator)."""
        scope = self.importer.scope.scope
        actor = get_user_model().objects.get(pk=scope.user_id) if scope.user_id else None
        codes = {record["region_code"] for record in self.records.values()}
        regions = {region.code: region for region in Region.objects.filter(code__in=codes)}
        errors: list[RowError] = []
        for ref in self.written():
            record = dict(self.records[ref])
            number = record.pop("number")
            record.pop("ref")
            region = regions[record.pop("region_code")]
            active = record.pop("active")
            registered_on = record.pop("registered_on")
            person = self.existing.get(ref)
            try:
                if isinstance(record["post"], str):  # named in a place this bundle created
                    record["post"] = post_named(record["post"], region, labels=self.labels)
                if person is None:
                    person = key_person_create(
                        actor=actor, ref=ref, region=region, registered_on=registered_on, **record
                    )
                else:
                    person = key_person_update(
                        actor=actor,
                        person=person,
                        version=person.version,
                        region=region,
                        **record,
                    )
                if not active and person.active:
                    key_person_release(
                        actor=actor,
                        person=person,
                        on=timezone.localdate(),
                        reason=_("Imported as not managed"),
                    )
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    column = FIELD_COLUMNS.get(name, name)
                    title = self.spec.column(column).title if column else ""
                    errors.append(RowError(self.table.name, number, title, "；".join(messages)))
            except PermissionDenied as error:
                errors.append(
                    RowError(self.table.name, number, self.spec.column("region_code").title, str(error))
                )
        if errors:
            raise BundleInvalid(errors)  # the whole bundle's transaction is rolled back
