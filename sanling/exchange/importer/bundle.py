"""The orchestrator: validate every file, then plan, then write all of it in one transaction."""

import datetime
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from pathlib import Path

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sanling.accounts.scope import EVERYTHING, Scope
from sanling.assessment.models import AssessedYear
from sanling.assessment.services import assessment_recompute
from sanling.audit.services import audit_changes
from sanling.core.bulk import analyze, collector_paused
from sanling.core.progress import Progress, ProgressCallback
from sanling.core.queries import filter_in
from sanling.organisations.models import Organisation
from sanling.subjects.models import Subject

from ..reader import BundleInvalid, RowError, Table, read_bundle
from .cases import Places
from .departments import DepartmentsStep
from .disputes import DisputesStep
from .hazards import HazardsStep
from .key_people import KeyPeopleStep
from .organisations import OrganisationsStep
from .petitions import PetitionsStep
from .posts import PostsStep
from .records import EventsStep
from .regions import RegionsStep
from .scope import ImportScope
from .sectors import SectorsStep
from .step import BULK_LOAD, FileResult, FileStep
from .subjects import SubjectsStep
from .visits import HouseholdsStep, VisitsStep


@dataclass
class ImportResult:
    dry_run: bool
    files: dict[str, FileResult] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(result.created or result.updated for result in self.files.values())


def bundle_import(
    path: str | Path,
    *,
    dry_run: bool = False,
    scope: Scope = EVERYTHING,
    name: str = "",
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Import the bundle at ``path``. Raises BundleInvalid with every bad row; writes nothing then.

    ``scope`` is the caller's (the operator's full scope by default): a row outside it is a row error.
    ``name`` is the file's name as its user knows it (an upload is stored under another), for the audit
    trail. ``progress(done, total, message)`` is told every few thousand rows checked, then written
    (a job's progress bar, a terminal's)."""
    with translation.override("zh-hans"), collector_paused():
        counter = Progress(progress)
        counter.stage(_("Reading the bundle"))
        tables = read_bundle(path)
        with transaction.atomic():
            note = _("import of %(name)s") % {"name": name or Path(path).name}
            importer = BundleImporter(tables, note=note, scope=scope, progress=counter)
            importer.validate()
            if importer.errors:
                raise BundleInvalid(importer.errors)
            result = ImportResult(dry_run=dry_run, files=importer.plan())
            if not dry_run:
                importer.apply()
            counter.finish()
        return result


class BundleImporter:
    """Runs the steps of every file in dependency order, sharing what later files need to know."""

    step_classes: list[type[FileStep]] = [
        RegionsStep,
        DepartmentsStep,
        OrganisationsStep,
        SubjectsStep,
        HazardsStep,  # issue 15: before the events, which may name the hazard an accident came from
        EventsStep,
        DisputesStep,
        PetitionsStep,
        SectorsStep,
        PostsStep,
        HouseholdsStep,  # fieldwork (issue 15): 走访
        VisitsStep,
        KeyPeopleStep,  # issue 15 item 9: after regions, subjects and posts
    ]

    def __init__(
        self,
        tables: dict[str, Table],
        *,
        note: str = "",
        scope: Scope = EVERYTHING,
        progress: Progress | None = None,
    ):
        self.errors: list[RowError] = []
        self.progress = progress or Progress()  # rows checked, then rows written
        self.scope = ImportScope(scope)
        self.note = note  # names the import in the audit trail
        self.today = timezone.localdate()
        self.region_levels: dict[str, str] = {}
        self.region_paths: dict[str, str] = {}  # code -> path once the import is written, where known
        self.department_codes: set[str] = set()
        self.subject_codes: set[str] = set()  # of the subjects rows may name: in the file or in scope
        self.foreign_subject_codes: set[str] = set()  # of stored subjects outside the caller's scope
        # What the import changed, to rebuild just the rollups it affects.
        self.everything_changed = False
        self.touched_years: set[int] = set()
        self.places = Places()  # who works a level at a place, and its deadline rules, looked up once
        self.steps = [step_class(self, tables.get(step_class.spec.key)) for step_class in self.step_classes]
        self.record_tables = [
            tables[key] for key in ("events", "disputes", "petitions", "hazards") if key in tables
        ]

    def step_for(self, key: str) -> FileStep:
        return next(step for step in self.steps if step.spec.key == key)

    def organisation_places(self, codes: set[str]) -> dict[str, tuple[str, str]]:
        """Organisation code -> (path of its region, code of its department or ""): where the bundle's
        organisations file puts it, else where it stands; codes of neither are left out."""
        places = {
            code: (path, department or "")
            for code, path, department in filter_in(
                Organisation.objects.values_list("code", "region__path", "department__code"),
                "code",
                codes,
                key_of=itemgetter(0),
            )
        }
        places.update(self.step_for("organisations").places_of(codes))
        return places

    def validate(self) -> None:
        self.progress.start(
            sum(len(step.table.rows) for step in self.steps if step.table is not None), _("Checking rows")
        )
        checked = 0
        for step in self.steps:
            if step.table is not None:
                self.progress.stage(_("Checking %(file)s") % {"file": step.table.name})
            step.validate()  # a file the bundle leaves out still learns what later files need
            checked += len(step.table.rows) if step.table is not None else 0
            self.progress.reach(checked)

    def joined_dates(self, codes: set[str]) -> dict[str, datetime.date]:
        """Subject code -> the date it joined: as the bundle's subjects file says, else as stored."""
        in_file = self.steps[self.step_classes.index(SubjectsStep)].records
        joined = {code: in_file[code]["joined_on"] for code in codes if code in in_file}
        joined.update(
            filter_in(
                Subject.objects.values_list("code", "joined_on"),
                "code",
                codes - set(joined),
                key_of=itemgetter(0),
            )
        )
        return joined

    def plan(self) -> dict[str, FileResult]:
        return {step.spec.key: step.plan() for step in self.steps if step.table is not None}

    def apply(self) -> None:
        self.write()
        self.refresh_rollups()
        self.audit()  # last, as every audited write: see sanling.audit.services

    def audit(self) -> int:
        """Append the audit entries of everything the import wrote, file by file."""
        self.progress.stage(_("Writing the audit trail"))
        counts, entries = zip(*(step.audit_entries() for step in self.steps), strict=True)
        return audit_changes(chain.from_iterable(entries), count=sum(counts))

    def write(self) -> None:
        self.progress.start(
            sum(step.result.created + step.result.updated for step in self.steps), _("Writing rows")
        )
        written = 0
        for step in self.steps:
            if step.table is not None:
                self.progress.stage(_("Writing %(file)s") % {"file": step.table.name})
                step.apply()
                written += step.result.created + step.result.updated
                self.progress.reach(written)
        loaded = [step for step in self.steps if step.result.created + step.result.updated >= BULK_LOAD]
        analyze(*(model for step in loaded for model in step.bulk_models()))

    def refresh_rollups(self) -> None:
        """Rebuild the rollups of the years the import touched (every assessed year if subjects changed)."""
        years = set(self.touched_years)
        if self.everything_changed:
            years |= set(AssessedYear.objects.values_list("year", flat=True))
        if years:
            self.progress.stage(_("Recomputing the rates"))
            assessment_recompute(years=years)
