"""What an import may touch: the caller's scope (``sanling.accounts.scope``), asked about rows.

The shell's ``sanling import`` runs with the operator's full scope; the import screen and ``--as USER``
run with the user's. A row reaching outside it is a row error like any other, so nothing is written.
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from sanling.accounts.scope import Scope
from sanling.core.queries import filter_in
from sanling.departments.models import Department
from sanling.regions.models import Region
from sanling.subjects.models import Subject


class ImportScope:
    """The caller's scope, answering about codes and paths as the steps read them from rows."""

    def __init__(self, scope: Scope):
        self.scope = scope
        self.limited = not scope.everything

    @property
    def manages_regions(self) -> bool:
        """Only an area's administrator shapes its tree: not a department's users."""
        return not self.limited or (self.scope.region is not None and self.scope.department is None)

    def covers_path(self, path: str) -> bool:
        """Whether a region at ``path`` lies in the caller's subtree."""
        return not self.limited or (self.scope.region is not None and path.startswith(self.scope.region.path))

    def above(self, path: str) -> bool:
        """Whether a region at ``path`` is an ancestor of the caller's subtree (seen, not theirs)."""
        region = self.scope.region
        return region is not None and region.path.startswith(path) and region.path != path

    def may_name_organisation(self, path: str, department_code: str) -> bool:
        """Whether a case row of the caller may be held by an organisation at the region with ``path``
        under ``department_code``: one in their subtree or above it (a town's petition may be with the
        county's 信访局), or, for a department's users, one of their department's offices."""
        if not self.limited:
            return True
        if self.scope.department is not None and department_code == self.scope.department.code:
            return True
        return self.scope.region is not None and (self.covers_path(path) or self.above(path))

    def covers_place(self, path: str, department_id: int | None) -> bool:
        """Whether a subject at the region with ``path`` under the department ``department_id`` would be in
        scope: the scope's own rule (``Scope.covers_place``), asked with the row's values."""
        department = Department(pk=department_id) if department_id else None
        return self.scope.covers_place(Region(path=path), department)

    def subjects_within(self, codes: Iterable[str]) -> set[str]:
        """The codes among ``codes`` of stored subjects the caller may change."""
        codes = set(codes) - {""}
        if not self.limited or not codes:
            return codes
        stored = Subject.objects.filter(self.scope.subject_q()).values_list("code", flat=True)
        return set(filter_in(stored, "code", codes, key_of=lambda code: code))

    @property
    def area(self) -> str:
        """The caller's area, named in messages."""
        names = [place.name for place in (self.scope.region, self.scope.department) if place is not None]
        return "、".join(names) or _("no area")

    def outside(self, what: str) -> str:
        """The message of a row reaching outside the caller's area."""
        return _("%(what)s is outside your area (%(area)s); nothing was imported.") % {
            "what": what,
            "area": self.area,
        }
