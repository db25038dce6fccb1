"""Uploads cannot hurt: the content says what a file is, sizes are bounded before and while unpacking,
member names cannot point out of the bundle, and an upload is deleted once its import is done or
abandoned (issue 14, item 10)."""

import datetime
import io
import os
import time
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from sanling.exchange.importer import bundle_import
from sanling.exchange.reader import BundleInvalid
from sanling.subjects.models import Subject

pytestmark = pytest.mark.django_db

CSV = "code,name,kind,category,region_code,department_code,joined_on\nU9,新学校,institution,school,411103001000,JY,2025-01-01\n"


@pytest.fixture
def uploads(settings, tmp_path) -> Path:
    settings.UPLOAD_DIR = tmp_path / "uploads"
    return settings.UPLOAD_DIR


def stored(folder: Path) -> list[Path]:
    return list(folder.iterdir()) if folder.exists() else []


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(client, name: str, data: bytes):
    """Upload a bundle; its dry run runs as a job (at once under the tests), whose page answers."""
    return client.post(reverse("exchange:upload"), {"bundle": SimpleUploadedFile(name, data)}, follow=True)


def job_of(response) -> int:
    return response.context["job"].pk


def refusal(path: Path) -> str:
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(path, dry_run=True)
    (error,) = invalid.value.errors
    return error.message


def test_an_oversize_upload_is_refused_in_chinese_and_not_stored(client, personas, uploads, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(personas["admin_user"])
    response = upload(client, "subjects.csv", CSV.encode() + b"#" * 2000)
    assert "超过了上传大小的上限" in response.content.decode()
    assert stored(uploads) == []


def test_a_non_zip_named_zip_is_refused_and_not_stored(client, personas, uploads):
    client.force_login(personas["admin_user"])
    response = upload(client, "bundle.zip", b"MZ\x90\x00 not a zip at all")
    assert "不是 .zip 压缩包或 .xlsx 工作簿" in response.content.decode()
    assert stored(uploads) == []


def test_a_non_zip_named_zip_is_refused_by_the_reader_too(tmp_path):
    path = tmp_path / "bundle.zip"
    path.write_bytes(b"regions.csv,not a zip")
    assert "不是有效的 .zip" in refusal(path)


def test_a_zip_named_xlsx_without_a_workbook_is_refused(tmp_path):
    path = tmp_path / "bundle.xlsx"
    path.write_bytes(zip_of({"regions.csv": b"code,name,level,parent_code\n"}))
    assert "不是有效的 .xlsx" in refusal(path)


def test_a_binary_file_named_csv_is_refused(client, personas, uploads):
    client.force_login(personas["admin_user"])
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" * 64  # a Windows program's header
    response = upload(client, "subjects.csv", program)
    assert "不是文本格式的 CSV" in response.content.decode()


def test_a_zip_bomb_is_refused_from_its_directory_before_unpacking(tmp_path, settings):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 1024 * 1024
    settings.UPLOAD_MAX_MEMBER_BYTES = 1024 * 1024
    path = tmp_path / "bomb.zip"
    # 20 MB of zeros squeezed into a few KB; its data is then damaged, so only a check made before
    # unpacking can answer with the size rather than with a broken archive.
    data = bytearray(zip_of({"subjects.csv": b"0" * 20 * 1024 * 1024}))
    start = data.index(b"subjects.csv") + len(b"subjects.csv")
    data[start + 10 : start + 200] = b"\xff" * 190
    path.write_bytes(bytes(data))
    assert path.stat().st_size < 100 * 1024
    assert "解压后超过 1 MB 的上限" in refusal(path)


def test_many_small_members_adding_up_past_the_total_are_refused(tmp_path, settings):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 1024 * 1024
    path = tmp_path / "many.zip"
    path.write_bytes(zip_of({f"part{number}.csv": b"0" * 300 * 1024 for number in range(5)}))
    assert "解压后超过 1 MB 的上限" in refusal(path)


def test_a_member_whose_header_understates_its_size_is_refused_while_reading(tmp_path, settings):
    settings.UPLOAD_MAX_MEMBER_BYTES = settings.UPLOAD_MAX_UNPACKED_BYTES = 1024 * 1024
    data = bytearray(zip_of({"subjects.csv": b"0" * 5 * 1024 * 1024}))
    size = (5 * 1024 * 1024).to_bytes(4, "little")
    assert data.count(size) == 2  # the local header and the central directory
    path = tmp_path / "liar.zip"
    path.write_bytes(bytes(data).replace(size, (100).to_bytes(4, "little")))
    with pytest.raises(BundleInvalid):
        bundle_import(path, dry_run=True)


def test_an_archive_with_too_many_members_is_refused(tmp_path, settings):
    settings.UPLOAD_MAX_MEMBERS = 10
    path = tmp_path / "many.zip"
    path.write_bytes(zip_of({f"notes/{number}.txt": b"x" for number in range(11)}))
    assert "11 个文件，最多接受 10 个" in refusal(path)


@pytest.mark.parametrize(
    "name", ["../regions.csv", "/etc/regions.csv", "bundle\\regions.csv", "C:/regions.csv"]
)
def test_a_member_named_like_a_path_out_of_the_bundle_is_refused(tmp_path, name):
    path = tmp_path / "paths.zip"
    path.write_bytes(zip_of({name: b"code,name,level,parent_code\n"}))
    assert "指向数据交换包以外" in refusal(path)


def test_a_zip_of_a_folder_is_still_read(tmp_path, county, education):
    path = tmp_path / "folder.zip"
    path.write_bytes(zip_of({"bundle/subjects.csv": CSV.encode()}))
    assert bundle_import(path, dry_run=True).files["subjects"].created == 1


def test_the_upload_is_deleted_once_imported(client, personas, uploads):
    client.force_login(personas["admin_user"])
    response = upload(client, "subjects.csv", CSV.encode())
    assert len(stored(uploads)) == 1
    client.post(reverse("exchange:confirm"), {"job": job_of(response)})
    assert Subject.objects.filter(code="U9").exists()
    assert stored(uploads) == []


def test_an_upload_refused_by_its_dry_run_is_deleted_at_once(client, personas, uploads):
    client.force_login(personas["admin_user"])
    response = upload(client, "subjects.csv", CSV.replace("2025-01-01", "not a date").encode())
    assert response.context["job"].report["errors"]
    assert stored(uploads) == []


def test_a_discarded_upload_is_deleted_and_imports_nothing(client, personas, uploads):
    client.force_login(personas["admin_user"])
    response = upload(client, "subjects.zip", zip_of({"subjects.csv": CSV.encode()}))
    client.post(reverse("exchange:confirm"), {"job": job_of(response), "discard": "1"})
    assert stored(uploads) == [] and not Subject.objects.filter(code="U9").exists()


def test_a_second_upload_abandons_the_first(client, personas, uploads):
    client.force_login(personas["admin_user"])
    first = upload(client, "subjects.csv", CSV.encode()).context["job"].params["token"]
    upload(client, "subjects.csv", CSV.encode())
    assert [path.name for path in stored(uploads)] != [first] and len(stored(uploads)) == 1


def test_an_abandoned_upload_is_pruned_after_its_retention(client, personas, uploads, settings):
    settings.UPLOAD_RETENTION_MINUTES = 60
    client.force_login(personas["admin_user"])
    upload(client, "subjects.csv", CSV.encode())
    (kept,) = stored(uploads)
    call_command("uploads", "prune", stdout=io.StringIO())
    assert stored(uploads) == [kept]
    old = time.time() - datetime.timedelta(minutes=61).total_seconds()
    os.utime(kept, (old, old))
    out = io.StringIO()
    call_command("uploads", "prune", stdout=out)
    assert stored(uploads) == [] and "1" in out.getvalue()


def test_an_abandoned_upload_is_pruned_by_the_next_visit_to_the_import_screen(client, personas, uploads):
    client.force_login(personas["admin_user"])
    upload(client, "subjects.csv", CSV.encode())
    (kept,) = stored(uploads)
    old = time.time() - 7 * 24 * 3600
    os.utime(kept, (old, old))
    client.get(reverse("exchange:upload"))
    assert stored(uploads) == []


def test_another_session_cannot_confirm_an_upload(client, personas, uploads):
    from django.test import Client

    client.force_login(personas["admin_user"])
    job = job_of(upload(client, "subjects.csv", CSV.encode()))
    other = Client()
    other.force_login(personas["admin_user"])
    other.post(reverse("exchange:confirm"), {"job": job})
    assert not Subject.objects.filter(code="U9").exists()
