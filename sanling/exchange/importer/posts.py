"""The posts file (issue 15): who holds which post where — 网格长, 网格员, 楼栋长, 驻村民警 … — with their
phone (encrypted at rest), optional login and dates.

A post has no code of its own: a row is keyed by its place, post, holder and start (``region_code``,
``post_type``, ``holder_name``, ``started_on``), so a new holder is a new row and a changed phone, login,
end date or sector updates the row in place. A county has a few thousand posts: rows are read one by one.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from sanling.core.queries import filter_in
from sanling.core.validators import normalize_phone, validate_phone
from sanling.dictionary.models import Entry, EntryType
from sanling.grids.models import Post, Sector
from sanling.grids.selectors import linkable_users
from sanling.grids.services import POST_LEVELS
from sanling.personal.fields import PERSONAL_FIELDS
from sanling.regions.models import Region

from ..schema import POSTS
from ..values import as_cell
from .cells import CellParser, RowReader
from .step import FileResult, FileStep

Key = tuple[str, str, str, str]  # region code, post type, holder name, started on (ISO)
VALUE_FIELDS = ("phone", "username", "sector_code", "ended_on")


def key_of(record: dict) -> Key:
    return (
        record["region_code"],
        record["post_type"],
        record["holder_name"],
        record["started_on"].isoformat(),
    )


class PostsStep(FileStep):
    spec = POSTS
    model = Post

    def validate(self) -> None:
        if self.table is None:
            self.existing = {}
            return
        rows = self.table.rows
        region_codes = {row.get("region_code", "") for _number, row in rows} - {""}
        stored_regions = {
            code: (level, path)
            for code, level, path in filter_in(
                Region.objects.values_list("code", "level", "path"),
                "code",
                region_codes,
                key_of=lambda row: row[0],
            )
        }
        self.existing = self._stored(region_codes)
        types = dict(Entry.objects.filter(type=EntryType.POST_TYPE, enabled=True).values_list("code", "code"))
        types.update(
            Entry.objects.filter(type=EntryType.POST_TYPE, enabled=True).values_list("label", "code")
        )
        stored_types = {key[1] for key in self.existing}
        usernames = {row.get("username", "") for _number, row in rows} - {""}
        scope = self.importer.scope
        users = (
            linkable_users(scope.scope) if scope.limited else get_user_model().objects.filter(is_active=True)
        )
        known_users = set(
            filter_in(users.values_list("username", flat=True), "username", usernames, key_of=str)
        )
        sectors = {
            (town, code): pk
            for town, code, pk in Sector.objects.filter(town__code__in=region_codes).values_list(
                "town__code", "code", "id"
            )
        }
        sectors.update(dict.fromkeys(self.importer.step_for("sectors").sector_keys()))  # made by this import
        region_levels = self.importer.region_levels
        cells = CellParser(self.table, self.importer.today)
        seen: dict[Key, int] = {}
        for number, row in rows:
            self.importer.progress.advance()
            reader = RowReader(self.table, number, row, self.importer.errors, cells)
            region_code = reader.text("region_code")
            post_type = reader.text("post_type")
            holder_name = reader.text("holder_name")
            started_on = reader.date("started_on")
            ended_on = reader.date("ended_on")
            phone = normalize_phone(reader.text("phone"))
            username = reader.text("username")
            sector_code = reader.text("sector_code")
            level, path = stored_regions.get(region_code, (region_levels.get(region_code, ""), ""))
            path = self.importer.region_paths.get(region_code) or path
            if region_code and not level:
                reader.error("region_code", _("Unknown region code “%(code)s”.") % {"code": region_code})
            elif region_code and level not in POST_LEVELS:
                reader.error("region_code", _("A post is held in a town, village, grid or building."))
            elif region_code and scope.limited and not scope.covers_path(path):
                reader.error("region_code", scope.outside(_("Region “%(code)s”") % {"code": region_code}))
            code = types.get(post_type, post_type if post_type in stored_types else "")
            if post_type and not code:
                reader.error(
                    "post_type",
                    _("“%(value)s” is not in the list of posts (岗位); use one of the list.")
                    % {"value": post_type},
                )
            if len(holder_name) > Post._meta.get_field("holder_name").max_length:
                reader.error("holder_name", _("Too long: at most %(limit)s characters.") % {"limit": 50})
            if started_on and ended_on and ended_on < started_on:
                reader.error("ended_on", _("A post cannot end before it started."))
            if username and username not in known_users:
                reader.error("username", _("Unknown login “%(name)s” in your area.") % {"name": username})
            if sector_code and (region_code, sector_code) not in sectors:
                reader.error(
                    "sector_code",
                    _("No sector “%(code)s” in town %(town)s.") % {"code": sector_code, "town": region_code},
                )
            if not reader.valid:
                continue
            record = {
                "region_code": region_code,
                "post_type": code,
                "holder_name": holder_name,
                "started_on": started_on,
                "ended_on": ended_on,
                "phone": phone,
                "username": username,
                "sector_code": sector_code,
            }
            key = key_of(record)
            stored = self.existing.get(key)
            if phone and "*" in phone:
                mask = PERSONAL_FIELDS["post"]["phone"].mask
                if stored and stored["phone"] and mask(stored["phone"]) == phone:
                    record["phone"] = stored["phone"]  # a masked export coming back keeps the stored phone
                else:
                    reader.error(
                        "phone",
                        _("“%(value)s” is a masked value; give the full value or leave the stored one.")
                        % {"value": phone},
                    )
                    continue
            elif phone:
                try:
                    validate_phone(phone)
                except ValidationError as error:
                    reader.error("phone", error.messages[0])
                    continue
            if key in seen:
                reader.error(
                    "holder_name",
                    _("The same post, holder and start already appear in row %(row)s of this file.")
                    % {"row": seen[key]},
                )
                continue
            seen[key] = number
            self.records[key] = record

    def _stored(self, region_codes: set[str]) -> dict[Key, dict]:
        """Key -> the stored post, for the posts of the regions the file names."""
        stored = {}
        posts = Post.objects.filter(region__code__in=region_codes).select_related("region", "user", "sector")
        for post in posts.iterator(chunk_size=2000):
            record = {
                "id": post.pk,
                "region_code": post.region.code,
                "region_path": post.region.path,
                "post_type": post.post_type,
                "holder_name": post.holder_name,
                "started_on": post.started_on,
                "ended_on": post.ended_on,
                "phone": post.phone or "",
                "username": post.user.get_username() if post.user_id else "",
                "sector_code": post.sector.code if post.sector_id else "",
            }
            stored[key_of(record)] = record
        return stored

    def plan(self) -> FileResult:
        self.changed: list[Key] = []
        for key, record in self.records.items():
            existing = self.existing.get(key)
            if existing is None:
                self.result.created += 1
            elif any(existing[name] != record[name] for name in VALUE_FIELDS):
                self.result.updated += 1
                self.changed.append(key)
            else:
                self.result.unchanged += 1
        return self.result

    def written(self) -> Iterable[Key]:
        yield from (key for key in self.records if key not in self.existing)
        yield from self.changed

    def apply(self) -> None:
        region_codes = {record["region_code"] for record in self.records.values()}
        regions = {
            code: (pk, path)
            for code, pk, path in filter_in(
                Region.objects.values_list("code", "id", "path"),
                "code",
                region_codes,
                key_of=lambda row: row[0],
            )
        }
        usernames = {record["username"] for record in self.records.values()} - {""}
        user_ids = dict(
            filter_in(
                get_user_model().objects.values_list("username", "id"),
                "username",
                usernames,
                key_of=lambda row: row[0],
            )
        )

        sector_ids = {
            (town, code): pk
            for town, code, pk in Sector.objects.filter(town__code__in=region_codes).values_list(
                "town__code", "code", "id"
            )
        }

        def build(record: dict, pk: int | None = None) -> Post:
            return Post(
                pk=pk,
                region_id=regions[record["region_code"]][0],
                sector_id=sector_ids.get((record["region_code"], record["sector_code"])),
                post_type=record["post_type"],
                holder_name=record["holder_name"],
                phone=record["phone"],
                user_id=user_ids.get(record["username"]),
                started_on=record["started_on"],
                ended_on=record["ended_on"],
            )

        Post.objects.bulk_create(
            [build(record) for key, record in self.records.items() if key not in self.existing],
            batch_size=1000,
        )
        updates = [build(self.records[key], pk=self.existing[key]["id"]) for key in self.changed]
        Post.objects.bulk_update(updates, ["phone", "user", "sector", "ended_on"], batch_size=1000)
        if updates:
            Post.objects.filter(pk__in=[post.pk for post in updates]).update(version=F("version") + 1)
        for key in self.written():
            record = self.records[key]
            existing = self.existing.get(key)
            self.audit(
                "-".join(key[:2]),
                regions[record["region_code"]][1],
                _cells(record),
                _cells(existing) if existing else None,
            )


def _cells(record: dict) -> dict:
    """The audited values of a row: every column as a cell (the audit trail masks the phone)."""
    return {column.key: as_cell(record[column.key]) for column in POSTS.columns}
