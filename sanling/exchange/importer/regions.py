"""The regions file: the tree, parents before children; a changed parent moves the subtree."""

from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.core.queries import filter_in
from sanling.regions.models import LEVEL_RANK, Region, level_order_error, make_path, region_code_error
from sanling.regions.services import region_move

from ..schema import REGIONS
from .cells import RowReader
from .step import BATCH, FileResult, FileStep


class RegionsStep(FileStep):
    spec = REGIONS
    model = Region
    lookups = {"parent_code": "parent__code"}

    def validate(self) -> None:
        aliases = REGIONS.aliases["level"]
        bundle_levels = {
            row.get("code", ""): aliases.get(row.get("level", ""))
            or aliases.get(row.get("level", "").lower(), "")
            for _number, row in (self.table.rows if self.table else [])
        }
        self.existing = {
            region.code: region for region in filter_in(Region.objects.all(), "code", self.codes)
        }
        self.parent_codes = dict(
            filter_in(Region.objects.values_list("code", "parent__code"), "code", self.existing)
        )
        parent_codes = {
            row.get("parent_code", "") for _number, row in (self.table.rows if self.table else [])
        }
        known_levels = dict(
            filter_in(Region.objects.values_list("code", "level"), "code", parent_codes - set(bundle_levels))
        )
        known_levels.update(bundle_levels)
        self.importer.region_levels = known_levels
        readers: dict[str, RowReader] = {}
        for reader in self.rows():
            code, name, level = reader.text("code"), reader.text("name"), reader.choice("level")
            parent_code = reader.text("parent_code")
            if not (code and level):
                continue
            if error := region_code_error(code, level, parent_code or None):
                reader.error("code", error)
            self.field_error(
                reader,
                Region(code=code, name=name, level=level),
                {"name": "name"},
                exclude=["code", "level", "path", "depth", "parent"],
            )
            if parent_code == code:
                reader.error("parent_code", _("A region cannot be its own parent."))
            elif parent_code and parent_code not in known_levels:
                reader.error(
                    "parent_code",
                    _("Unknown parent code “%(code)s”: it is neither in the bundle nor in the system.")
                    % {"code": parent_code},
                )
            elif error := level_order_error(level, known_levels.get(parent_code) if parent_code else None):
                reader.error("level", error)
            existing = self.existing.get(code)
            if existing and existing.level != level:
                reader.error("level", _("The level of an existing region cannot be changed by an import."))
            if existing and self.parent_codes[code] and not parent_code:
                reader.error("parent_code", _("An import cannot take a region out from under its parent."))
            if reader.valid:
                self.records[code] = {"code": code, "name": name, "level": level, "parent_code": parent_code}
                readers[code] = reader
        self._check_cycles(readers)
        if self.importer.scope.limited:
            self._check_scope(readers)

    def _check_cycles(self, readers: dict[str, RowReader]) -> None:
        """Grids nest in grids, so the level order alone no longer keeps the tree a tree: a row whose
        parents lead back to itself (in the file, or through a grid already in the system) is refused."""
        parents = dict(self.parent_codes)
        parents.update({code: record["parent_code"] for code, record in self.records.items()})
        for code in [code for code, record in self.records.items() if record["level"] == "grid"]:
            seen, current = {code}, parents.get(code)
            while current and len(current) > 12:  # above the grids the level order keeps the tree a tree
                if current in seen:
                    readers[code].error(
                        "parent_code", _("Region “%(code)s” would end up under itself.") % {"code": code}
                    )
                    del self.records[code]
                    del readers[code]
                    break
                seen.add(current)
                current = parents.get(current) or self._parent_in_system(current)

    def _parent_in_system(self, code: str) -> str:
        if code not in self._system_parents:
            self._system_parents[code] = (
                Region.objects.filter(code=code).values_list("parent__code", flat=True).first() or ""
            )
        return self._system_parents[code]

    @property
    def _system_parents(self) -> dict[str, str]:
        if not hasattr(self, "_system_parents_cache"):
            self._system_parents_cache: dict[str, str] = {}
        return self._system_parents_cache

    def generations(self) -> list[list[dict]]:
        """The file's records, parents before children: by level, and a grid under a grid of the same
        file after it (二级 before 三级)."""
        depth: dict[str, int] = {}

        def generation(code: str) -> int:
            if code not in depth:
                record = self.records[code]
                parent = record["parent_code"]
                within = parent in self.records and self.records[parent]["level"] == record["level"]
                depth[code] = generation(parent) + 1 if within else 0
            return depth[code]

        groups: dict[tuple[int, int], list[dict]] = {}
        for code, record in self.records.items():
            groups.setdefault((LEVEL_RANK[record["level"]], generation(code)), []).append(record)
        return [groups[key] for key in sorted(groups)]

    def _check_scope(self, readers: dict[str, RowReader]) -> None:
        """A region stays in the caller's subtree, where it stands and where the file puts it; the users
        of a department do not shape the tree at all. The regions above the subtree may be listed
        unchanged (a county's bundle names its province and city)."""
        scope = self.importer.scope
        if not scope.manages_regions:
            for code, reader in readers.items():
                reader.error("code", scope.outside(_("The region tree")))
                del self.records[code]
            return
        paths = self.importer.region_paths = self._paths_after()
        for code, reader in readers.items():
            existing = self.existing.get(code)
            if existing is not None and scope.above(existing.path) and self._unchanged(code):
                continue
            if existing is not None and not scope.covers_path(existing.path):
                reader.error("code", scope.outside(_("Region “%(code)s”") % {"code": code}))
            elif not scope.covers_path(paths.get(code, "")):
                parent_code = self.records[code]["parent_code"]
                reader.error("parent_code", scope.outside(_("Region “%(code)s”") % {"code": parent_code}))
            if not reader.valid:
                del self.records[code]

    def _unchanged(self, code: str) -> bool:
        record = self.records[code]
        return (
            self.existing[code].name == record["name"]
            and (self.parent_codes[code] or "") == record["parent_code"]
        )

    def _paths_after(self) -> dict[str, str]:
        """Code -> the path each region of the file will have once it is written (parents first)."""
        outside = {record["parent_code"] for record in self.records.values()} - set(self.records) - {""}
        paths = dict(filter_in(Region.objects.values_list("code", "path"), "code", outside))
        for record in (record for group in self.generations() for record in group):
            parent_code = record["parent_code"]
            if parent_code and parent_code not in paths:
                continue  # its parent's own row is wrong, and reported there
            paths[record["code"]] = make_path(paths[parent_code] if parent_code else "", record["code"])
        return paths

    def plan(self) -> FileResult:
        parent_codes = self.parent_codes
        for code, record in self.records.items():
            existing = self.existing.get(code)
            if existing is None:
                self.result.created += 1
            elif existing.name != record["name"] or (parent_codes[code] or "") != record["parent_code"]:
                self.result.updated += 1
            else:
                self.result.unchanged += 1
        return self.result

    def apply(self) -> None:
        today = timezone.localdate()
        for records in self.generations():
            wanted = {record["parent_code"] for record in records} | {record["code"] for record in records}
            nodes = {region.code: region for region in filter_in(Region.objects.all(), "code", wanted - {""})}
            new, renamed = [], []
            for record in records:
                parent = nodes.get(record["parent_code"])
                region = nodes.get(record["code"])
                if region is None:
                    region = Region(
                        code=record["code"], name=record["name"], level=record["level"], parent=parent
                    )
                    region.path = make_path(parent.path if parent else "", region.code)
                    region.depth = parent.depth + 1 if parent else 0
                    new.append(region)
                    self.audit(region.code, region.path, record)
                    continue
                if region.name != record["name"]:
                    self.audit(region.code, region.path, {"name": record["name"]}, {"name": region.name})
                    region.name = record["name"]
                    renamed.append(region)
                if (self.parent_codes.get(region.code) or "") != record["parent_code"] and parent:
                    region_move(
                        region=region,
                        new_parent=parent,
                        moved_on=today,
                        note=_("moved by an import"),
                        recompute=False,  # the import rebuilds once, at its end
                    )
                    self.importer.everything_changed = True
            Region.objects.bulk_create(new, batch_size=BATCH)
            Region.objects.bulk_update(renamed, ["name"], batch_size=BATCH)
