"""Exporting the data as a bundle in the same format the importer reads, so export -> import round-trips."""

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from sanling.accounts.scope import EVERYTHING, Scope
from sanling.audit.context import current_actor
from sanling.audit.services import audit_export
from sanling.core.progress import Progress, ProgressCallback
from sanling.core.workbooks import ExportMark, csv_row, export_mark, mark_workbook, text_row
from sanling.departments.models import Department
from sanling.disputes.models import DISPUTE_CASE_FIELDS, DISPUTE_FIELDS, Dispute
from sanling.events.models import EVENT_FIELDS, Event
from sanling.grids.models import Post, Sector
from sanling.keypeople.models import KeyPerson
from sanling.organisations.models import Organisation
from sanling.personal.fields import PERSONAL_FIELDS, exported_fields
from sanling.personal.services import personal_unmask_export
from sanling.petitions.models import PETITION_FIELDS, Petition
from sanling.regions.models import Region, subtree_q
from sanling.subjects.models import PLACE_FIELDS, SUBJECT_FIELDS, Subject
from sanling.visits.models import HouseholdCount, HouseholdVisit

from .schema import (
    DEPARTMENTS,
    DISPUTES,
    EVENTS,
    HAZARDS,
    HOUSEHOLDS,
    KEY_PEOPLE,
    ORGANISATIONS,
    PETITIONS,
    POSTS,
    REGIONS,
    SECTORS,
    SUBJECTS,
    VISITS,
    FileSpec,
)
from .values import as_cell


def hazard_rows(scope: Scope) -> Iterator[list[str]]:
    from .importer.hazards import hazard_rows as rows

    return rows(scope)


def region_rows(scope: Scope) -> Iterator[list[str]]:
    # Ordered by path, so every parent comes before its children.
    regions = Region.objects.order_by("path")
    if not scope.everything:
        regions = regions.filter(subtree_q(scope.region.path)) if scope.region else regions.none()
    for code, name, level, parent_code in regions.values_list("code", "name", "level", "parent__code"):
        yield [code, name, level, parent_code or ""]


def _cell(value: object) -> object:
    # Whole numbers stay numbers (a CSV writes them bare, a workbook as numbers); the rest as bundle text.
    return value if isinstance(value, int) and not isinstance(value, bool) else as_cell(value)


def department_rows(scope: Scope) -> Iterator[list[str]]:
    departments = Department.objects.order_by("code")
    if scope.department is not None:
        departments = departments.filter(pk=scope.department.pk)
    yield from (list(row) for row in departments.values_list("code", "name"))


def organisation_rows(scope: Scope) -> Iterator[list[str]]:
    """The organisations standing in the scope's subtree (a department's users: their department's)."""
    organisations = Organisation.objects.order_by("code")
    if scope.region is not None:
        organisations = organisations.filter(subtree_q(scope.region.path, via="region__"))
    elif scope.department is not None:
        organisations = organisations.filter(department=scope.department)
    fields = ("code", "name", "kind", "region__code", "department__code")
    yield from ([_cell(value) for value in row] for row in organisations.values_list(*fields))


def _masks(model_name: str, fields: list[str], clear: bool) -> list[tuple[int, object]]:
    """(position, mask) of the personal fields among ``fields``, unless they are written in clear."""
    if clear:
        return []
    personal = PERSONAL_FIELDS[model_name]
    return [(position, personal[name].mask) for position, name in enumerate(fields) if name in personal]


def subject_rows(scope: Scope = EVERYTHING, *, clear: bool | None = None) -> Iterator[list[str]]:
    """The subjects file. Personal fields (contact name and phone) are in clear when ``clear`` (by default
    only for the operator's full scope at the shell; ``bundle_export`` unmasks for an administrator who
    gives a reason); otherwise they are masks, which a re-import recognises and leaves stored as they are."""
    fields = [f"{name}__code" if name in PLACE_FIELDS else name for name in SUBJECT_FIELDS]
    subjects = Subject.objects.filter(scope.subject_q()).order_by("code")
    masks = (
        []
        if (scope.everything if clear is None else clear)
        else [
            (position, PERSONAL_FIELDS["subject"][name].mask)
            for position, name in enumerate(fields)
            if name in PERSONAL_FIELDS["subject"]
        ]
    )
    for row in subjects.values_list(*fields).iterator(chunk_size=2000):
        cells = [_cell(value) for value in row]
        for position, mask in masks:
            cells[position] = mask(cells[position]) if cells[position] else ""
        yield cells


def _record_rows(model, fields: list[str], scope: Scope, clear: bool = True) -> Iterator[list[str]]:
    records = model.objects.filter(scope.subject_q("subject__")).order_by("ref")
    masks = _masks(model._meta.model_name, fields, clear)
    for row in records.values_list(*fields).iterator(chunk_size=5000):
        cells = [_cell(value) for value in row]
        for position, mask in masks:
            cells[position] = mask(cells[position]) if cells[position] else ""
        yield cells


def event_rows(scope: Scope) -> Iterator[list[str]]:
    return _record_rows(Event, ["ref", "type", "subject__code", *EVENT_FIELDS[1:], "hazard__ref"], scope)


def dispute_rows(scope: Scope, *, clear: bool | None = None) -> Iterator[list[str]]:
    """The disputes file with its case columns; the parties (personal data) as ``subject_rows`` writes
    personal fields: in clear for the full scope or when unmasked, else masked."""
    fields = [
        "ref",
        "subject__code",
        *DISPUTE_FIELDS,
        *DISPUTE_CASE_FIELDS,
        "case__organisation__code",
        "grid__code",
    ]
    return _record_rows(Dispute, fields, scope, scope.everything if clear is None else clear)


def petition_rows(scope: Scope, *, clear: bool | None = None) -> Iterator[list[str]]:
    """The petitions file; the petitioner's name, ID number and phone as ``dispute_rows`` writes parties."""
    fields = ["ref", "subject__code", *PETITION_FIELDS, "case__organisation__code"]
    return _record_rows(Petition, fields, scope, scope.everything if clear is None else clear)


def sector_rows(scope: Scope) -> Iterator[list[str]]:
    """The sectors file (issue 15): the sectors of the towns in the scope's subtree, villages in one cell."""
    sectors = (
        Sector.objects.select_related("town").prefetch_related("villages").order_by("town__code", "code")
    )
    if not scope.everything:
        sectors = (
            sectors.filter(subtree_q(scope.region.path, via="town__")) if scope.region else sectors.none()
        )
    for sector in sectors:
        villages = "；".join(sorted(village.code for village in sector.villages.all()))
        yield [sector.town.code, sector.code, sector.name, villages]


def post_rows(scope: Scope, *, clear: bool | None = None) -> Iterator[list[str]]:
    """The posts file (issue 15): the posts placed in the scope's subtree; the phone as ``subject_rows``
    writes personal fields (in clear for the full scope or when unmasked, else masked)."""
    clear = scope.everything if clear is None else clear
    mask = PERSONAL_FIELDS["post"]["phone"].mask
    posts = (
        Post.objects.filter(scope.region_q())
        .order_by("region__path", "post_type", "started_on", "pk")
        .values_list(
            "region__code",
            "post_type",
            "holder_name",
            "started_on",
            "ended_on",
            "phone",
            "user__username",
            "sector__code",
        )
    )
    for row in posts.iterator(chunk_size=2000):
        cells = [_cell(value) for value in row]
        if cells[5] and not clear:
            cells[5] = mask(cells[5])
        yield cells


EXPORTS: list[tuple[FileSpec, Callable[[Scope], Iterator[list[str]]]]] = [
    (REGIONS, region_rows),
    (DEPARTMENTS, department_rows),
    (ORGANISATIONS, organisation_rows),
    (SUBJECTS, subject_rows),
    (HAZARDS, hazard_rows),  # issue 15
    (EVENTS, event_rows),
    (DISPUTES, dispute_rows),
    (PETITIONS, petition_rows),
    (SECTORS, sector_rows),
    (POSTS, post_rows),
]


def household_rows(scope: Scope) -> Iterator[list[str]]:
    """Households per region (走访's denominator), of the regions in the scope's subtree."""
    counts = HouseholdCount.objects.filter(scope.region_q()).order_by("region__code", "as_of")
    fields = ("region__code", "as_of", "households", "residents", "note")
    yield from (
        [_cell(value) for value in row] for row in counts.values_list(*fields).iterator(chunk_size=5000)
    )


def visit_rows(scope: Scope) -> Iterator[list[str]]:
    """Household visits (走访) placed in the scope's subtree."""
    visits = HouseholdVisit.objects.filter(scope.region_q()).order_by("ref")
    fields = (
        "ref",
        "region__code",
        "household",
        "visited_on",
        "theme",
        "persons_met",
        "visitor_name",
        "findings",
    )
    yield from (
        [_cell(value) for value in row] for row in visits.values_list(*fields).iterator(chunk_size=5000)
    )


EXPORTS += [(HOUSEHOLDS, household_rows), (VISITS, visit_rows)]  # fieldwork (issue 15): 走访


def key_person_rows(scope: Scope, *, clear: bool | None = None) -> Iterator[list[str]]:
    """Key persons (重点人员, issue 15 item 9) placed in the scope's subtree, as ``sanling key_people export``
    writes them; identities as ``subject_rows`` writes personal fields (in clear for the full scope or
    when unmasked, else masked)."""
    from sanling.keypeople.exports import post_labels, row_cells

    clear = scope.everything if clear is None else clear
    labels = post_labels()
    people = KeyPerson.objects.filter(scope.region_q()).select_related("region", "handler", "post")
    for person in people.order_by("ref").iterator(chunk_size=2000):
        yield row_cells(person, clear, labels)


EXPORTS += [(KEY_PEOPLE, key_person_rows)]
# The files holding personal data: written in clear or masked (``bundle_export``), and their model.
PERSONAL_EXPORTS = {"subjects": Subject, "disputes": Dispute, "petitions": Petition}
# Files of records placed in regions (no subject) that hold personal data: file key -> model label.
REGION_PERSONAL_EXPORTS = {"posts": Post}
REGION_PERSONAL_EXPORTS["key_people"] = KeyPerson  # issue 15 item 9
# One made-up row per file for the empty bundle users fill in (``bundle_template``): it names no real
# place or person, and its rows fit together (the school stands in the town, its event at the school).
EXAMPLES: dict[str, list[str]] = {
    "regions": ["411103001000", "示例街道", "town", "411103000000"],
    "departments": ["JY", "示例区教育局"],
    "subjects": [
        "U0001",
        "示例实验小学",
        "institution",
        "school",
        "411103001000",
        "JY",
        "",
        "示例路1号",
        "张三",
        "13800000000",
        "2021-01-01",
        "",
    ],
    "events": [
        "E0001",
        "accident",
        "U0001",
        "2021-03-05",
        "示例：校车刮擦",
        "",
        "",
        "",
        "general",
        "0",
        "1",
        "closed",
        "",
    ],
    "organisations": ["411103001000-MTZX", "示例街道矛调中心", "mediation_centre", "411103001000", ""],
    "disputes": [
        "D0001",
        "U0001",
        "2021-03-01",
        "邻里纠纷",
        "示例：宅基地边界争议",
        "resolved",
        "village",
        "2021-03-09",
        "people",
        "town",
        "consultation",
        "张三、李四",
        "双方同意以现有界桩为界",
        "2021-04-09",
        "satisfied",
        "411103001000-MTZX",
        "",
    ],
    "petitions": [
        "P0001",
        "U0001",
        "2021-05-06",
        "visit",
        "open_door",
        "示例：校门口交通安全诉求",
        "town",
        "王五",
        "11010519491231002X",
        "13800000000",
        "否",
        "否",
        "1",
        "否",
        "reasonable",
        "concluded",
        "2021-05-07",
        "2021-05-20",
        "2021-05-25",
        "satisfied",
        "411103001000-MTZX",
    ],
    "sectors": ["411103001000", "E", "示例东片区", ""],
    "posts": ["411103001000", "网格长", "王五", "2021-01-01", "", "13800000000", "", "E"],
    # issue 15: the school's hazard, closed after its 复查.
    "hazards": [
        "H0001",
        "U0001",
        "2021-06-03",
        "消防安全",
        "一般",
        "示例：楼道堆放杂物，堵塞消防通道",
        "复查通过",
        "2021-07-03",
        "2021-06-20",
        "",
        "排查",
        "安全员",
        "",
    ],
    "households": ["411103001001", "2021-01-01", "860", "2410", ""],
    # issue 15 item 9: a made-up person (the ID number is the standard's example, not anyone's).
    "key_people": [
        "KP0001",
        "411103001001",
        "社区矫正人员",
        "中",
        "张三",
        "11010519491231002X",
        "13800000000",
        "示例村3组12号",
        "",
        "2021-01-01",
        "是",
        "",
    ],
    "visits": [
        "HV0001",
        "411103001001",
        "3组12号",
        "2021-03-08",
        "六促六防",
        "2",
        "张三",
        "示例：邻里宅基地边界争议",
    ],
}


def _header(spec: FileSpec, chinese: bool) -> list[str]:
    return [column.chinese if chinese else column.key for column in spec.columns]


def _csv_bytes(header: list[str], rows: Iterable[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(csv_row(header))
    # Text beginning with a formula character gets a leading apostrophe (``csv_text``); the importer
    # takes exactly that apostrophe off again.
    writer.writerows(map(csv_row, rows))
    # The BOM lets Excel on Windows open the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


MANIFEST = "manifest.json"


def _manifest(mark: ExportMark, counts: dict[str, int], chinese_headers: bool) -> bytes:
    """The bundle's own description beside its CSV files (the importer reads only ``*.csv``)."""
    manifest = {
        "format": "sanling-bundle",
        **mark.as_dict(),
        "files": {spec.filename: counts[spec.key] for spec, _rows in EXPORTS},
        "headers": "chinese" if chinese_headers else "keys",
        "escaping": "A cell whose text begins with = + - @ tab, carriage return or ' carries one more "
        "leading ' (see docs/data-format.md); the importer removes it.",
    }
    return json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")


def bundle_export(
    path: str | Path,
    *,
    chinese_headers: bool = False,
    scope: Scope = EVERYTHING,
    unmask_reason: str = "",
    progress: ProgressCallback | None = None,
) -> dict[str, int]:
    """Write every file of the bundle to ``path`` (a folder, a ``.zip`` or an ``.xlsx``); return row counts.

    Only what ``scope`` may see is written (the operator's full scope by default): its regions' subtree,
    its subjects and their events and disputes. The bundle is watermarked (who, when, which scope: the
    workbook's properties and a sheet ``导出说明``, or ``manifest.json`` beside the CSV files) and the export
    is audited with what it held, personal fields included.

    Personal fields are in clear for the operator's full scope; for a user's scope (``--as``) only with
    ``unmask_reason`` from one who may unmask, audited as one unmasked read (``personal_unmask_export``),
    as the web's export asks; otherwise masked. ``progress(done, total, message)`` is told every few
    thousand rows read (a job's progress bar)."""
    path = Path(path)
    clear = scope.everything or bool(unmask_reason)
    if clear and not scope.everything:
        # One unmasked read per file holding personal data, as the subjects' has always been audited.
        for model in REGION_PERSONAL_EXPORTS.values():
            if count := model.objects.filter(scope.region_q()).count():
                personal_unmask_export(
                    user=current_actor().user,
                    model=model,
                    count=count,
                    reason=unmask_reason,
                    region_path=scope.region.path if scope.region else "",
                    what=f"导出数据交换包（{path.name}）",
                )
        for model in PERSONAL_EXPORTS.values():
            subject_q = scope.subject_q() if model is Subject else scope.subject_q("subject__")
            count = model.objects.filter(subject_q).count()
            if count or model is Subject:
                personal_unmask_export(
                    user=current_actor().user,
                    model=model,
                    count=count,
                    reason=unmask_reason,
                    region_path=scope.region.path if scope.region else "",
                    what=f"导出数据交换包（{path.name}）",
                )
    counts: dict[str, int] = {}
    tables = []
    counter = Progress(progress)
    counter.start(_export_total(scope) if progress else 0, "读取数据")
    for spec, rows in EXPORTS:
        counter.stage(f"读取 {spec.filename}")
        data = list(
            counter.counted(
                rows(scope, clear=clear)
                if spec.key in PERSONAL_EXPORTS or spec.key in REGION_PERSONAL_EXPORTS
                else rows(scope)
            )
        )
        counts[spec.key] = len(data)
        tables.append((spec, _header(spec, chinese_headers), data))
    counter.stage(f"写入 {path.name}")
    mark = export_mark(scope=scope, what=f"数据交换包（{path.name}）")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        _write_workbook(path, tables, mark=mark)
    elif suffix == ".zip":
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.comment = mark.text().encode("utf-8")[:65535]
            for spec, header, data in tables:
                archive.writestr(spec.filename, _csv_bytes(header, data))
            archive.writestr(MANIFEST, _manifest(mark, counts, chinese_headers))
    else:
        path.mkdir(parents=True, exist_ok=True)
        for spec, header, data in tables:
            (path / spec.filename).write_bytes(_csv_bytes(header, data))
        (path / MANIFEST).write_bytes(_manifest(mark, counts, chinese_headers))
    counter.finish()
    audit_export(
        what="bundle",
        region_path=scope.region.path if scope.region else "",
        rows=counts,
        file_format="xlsx" if suffix == ".xlsx" else ("zip" if suffix == ".zip" else "csv"),
        # Subject columns holding personal information (PIPL), in clear or as their masks.
        personal_fields=tuple(
            name
            for key, model in [
                *PERSONAL_EXPORTS.items(),
                *REGION_PERSONAL_EXPORTS.items(),
            ]
            if counts[key]
            for name in exported_fields(model._meta.model_name, clear=clear)
        ),
        mark=mark.as_dict(),
    )
    return counts


def _export_total(scope: Scope) -> int:
    """How many rows the bundle of ``scope`` holds, for a progress bar (one count per file)."""
    regions = Region.objects.all()
    if not scope.everything:
        regions = regions.filter(subtree_q(scope.region.path)) if scope.region else regions.none()
    departments = Department.objects.all()
    if scope.department is not None:
        departments = departments.filter(pk=scope.department.pk)
    return (
        regions.count()
        + departments.count()
        + Subject.objects.filter(scope.subject_q()).count()
        + Event.objects.filter(scope.subject_q("subject__")).count()
        + Dispute.objects.filter(scope.subject_q("subject__")).count()
        + Petition.objects.filter(scope.subject_q("subject__")).count()
        + Post.objects.filter(scope.region_q()).count()
        + Sector.objects.count()
        + _visits_total(scope)
        + KeyPerson.objects.filter(scope.region_q()).count()
    )


def _visits_total(scope: Scope) -> int:
    return (
        HouseholdCount.objects.filter(scope.region_q()).count()
        + HouseholdVisit.objects.filter(scope.region_q()).count()
    )


def bundle_template() -> bytes:
    """An empty bundle to fill in: an .xlsx with a sheet per file, Chinese headers and one made-up
    example row each, so the shape of every file is plain. Holds no stored data."""
    buffer = io.BytesIO()
    _write_workbook(
        buffer,
        [(spec, _header(spec, chinese=True), [EXAMPLES[spec.key]]) for spec, _rows in EXPORTS],
        title="chinese",
    )
    return buffer.getvalue()


def _write_workbook(
    path: Path | io.BytesIO,
    tables: list[tuple[FileSpec, list[str], list[list]]],
    title: str = "key",
    mark: ExportMark | None = None,
) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for spec, header, data in tables:
        sheet = workbook.create_sheet(getattr(spec, title))
        sheet.append(text_row(sheet, header))
        for row in data:
            sheet.append(text_row(sheet, row))
    if mark is not None:
        mark_workbook(workbook, mark)
    workbook.save(path)
