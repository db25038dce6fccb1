"""posts.csv: atomic, idempotent, a dry run, Chinese row errors, the phone encrypted at rest, scoped."""

import datetime

import pytest
from django.db import connection

from sanling.accounts.scope import scope_for
from sanling.conftest import write_csv
from sanling.exchange.exporter import bundle_export
from sanling.exchange.importer import bundle_import
from sanling.exchange.reader import BundleInvalid
from sanling.grids.models import Post
from sanling.grids.services import post_create

pytestmark = pytest.mark.django_db
HEADER = [
    "region_code",
    "post_type",
    "holder_name",
    "started_on",
    "ended_on",
    "phone",
    "username",
    "sector_code",
]


def bundle(tmp_path, *rows, name="b"):
    write_csv(tmp_path / name, "posts.csv", [HEADER, *rows])
    return tmp_path / name


def row(personas, **changes):
    values = {
        "region_code": personas["grid"].code,
        "post_type": "网格长",
        "holder_name": "王网格",
        "started_on": "2025-03-01",
        "ended_on": "",
        "phone": "13812345678",
        "username": "",
        "sector_code": "",
    }
    values.update(changes)
    return [values[key] for key in HEADER]


def test_posts_are_imported_with_the_phone_encrypted_at_rest(personas, tmp_path):
    result = bundle_import(
        bundle(tmp_path, row(personas), row(personas, post_type="grid_member", holder_name="李"))
    )
    assert result.files["posts"].created == 2
    post = Post.objects.get(post_type="grid_leader")
    assert post.phone == "13812345678"
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM grids_post WHERE id = %s", [post.pk])
        assert "13812345678" not in cursor.fetchone()[0]


def test_the_same_file_twice_changes_nothing_and_a_changed_phone_updates_in_place(personas, tmp_path):
    bundle_import(bundle(tmp_path, row(personas)))
    assert not bundle_import(bundle(tmp_path, row(personas), name="again")).changed
    result = bundle_import(bundle(tmp_path, row(personas, phone="13900000000", username="grid_a"), name="c"))
    assert result.files["posts"].updated == 1
    post = Post.objects.get()
    assert (post.phone, post.user, post.version) == ("13900000000", personas["grid_a"], 2)


def test_a_dry_run_writes_nothing(personas, tmp_path):
    result = bundle_import(bundle(tmp_path, row(personas)), dry_run=True)
    assert result.files["posts"].created == 1 and not Post.objects.exists()


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"post_type": "队长"}, "岗位"),
        ({"region_code": "411103999999999"}, "区划代码"),
        ({"started_on": "2025-02-30"}, "任职日期"),
        ({"ended_on": "2025-01-01"}, "离任日期"),
        ({"phone": "12345"}, "联系电话"),
        ({"username": "nobody"}, "登录账号"),
        ({"holder_name": ""}, "姓名"),
    ],
)
def test_a_bad_row_is_reported_in_chinese_and_nothing_is_written(personas, tmp_path, changes, column):
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(bundle(tmp_path, row(personas, holder_name="好"), row(personas, **changes)))
    (error,) = invalid.value.errors
    assert column in error.column and error.row == 3
    assert not Post.objects.exists()


def test_a_town_user_imports_only_in_their_subtree(personas, tmp_path):
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(
            bundle(tmp_path, row(personas, region_code=personas["dongwan"].code)),
            scope=scope_for(personas["town_a"]),
        )
    assert "区划代码" in invalid.value.errors[0].column
    bundle_import(bundle(tmp_path, row(personas), name="ok"), scope=scope_for(personas["town_a"]))
    assert Post.objects.count() == 1


def test_export_then_import_round_trips_and_a_town_exports_its_own_posts(personas, tmp_path):
    post_create(
        region=personas["grid"],
        post_type="grid_leader",
        holder_name="王",
        phone="13812345678",
        started_on=datetime.date(2025, 3, 1),
    )
    post_create(
        region=personas["dongwan"],
        post_type="village_police",
        holder_name="东湾民警",
        started_on=datetime.date(2025, 3, 1),
    )
    bundle_export(tmp_path / "all")
    text = (tmp_path / "all" / "posts.csv").read_text(encoding="utf-8-sig")
    assert "13812345678" in text and "东湾民警" in text
    assert not bundle_import(tmp_path / "all").changed
    bundle_export(tmp_path / "town", scope=scope_for(personas["town_a"]))
    text = (tmp_path / "town" / "posts.csv").read_text(encoding="utf-8-sig")
    assert "东湾" not in text and "138****5678" in text
    assert not bundle_import(tmp_path / "town", scope=scope_for(personas["town_a"])).changed


SECTOR_HEADER = ["town_code", "code", "name", "village_codes"]


def test_sectors_and_a_sector_leaders_post_import_together_and_round_trip(personas, tmp_path):
    """商桥镇's "东、南、西、中4个一级网格": a sector and its 一级网格长 in one bundle."""
    from sanling.grids.models import Sector

    folder = tmp_path / "s"
    write_csv(
        folder,
        "sectors.csv",
        [SECTOR_HEADER, [personas["shangqiao"].code, "E", "东片区", personas["dongwan"].code]],
    )
    write_csv(
        folder,
        "posts.csv",
        [
            HEADER,
            row(personas, region_code=personas["shangqiao"].code, holder_name="班子成员", sector_code="E"),
        ],
    )
    result = bundle_import(folder)
    assert (result.files["sectors"].created, result.files["posts"].created) == (1, 1)
    sector = Sector.objects.get()
    assert list(sector.villages.all()) == [personas["dongwan"]]
    assert Post.objects.get().sector == sector
    assert not bundle_import(folder).changed
    bundle_export(tmp_path / "out")
    assert not bundle_import(tmp_path / "out").changed


def test_a_sector_lists_only_villages_of_its_town(personas, tmp_path):
    folder = tmp_path / "s"
    write_csv(
        folder,
        "sectors.csv",
        [SECTOR_HEADER, [personas["shangqiao"].code, "E", "东片区", personas["jinniu"].code]],
    )
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(folder)
    assert "村社区代码" in invalid.value.errors[0].column
