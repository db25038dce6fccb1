"""Evidence on a case: what a file is comes from its content, it is stored once under its hash outside the web
root, and only someone whose scope holds the case can fetch it."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sanling.audit.models import AuditEntry
from sanling.work.attachments import attachment_add, blob_path, sniff_content_type
from sanling.work.models import Attachment

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"photo of the boundary stone" * 10
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 40
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100
HTML = b"<!doctype html><script>alert(1)</script>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


@pytest.fixture(autouse=True)
def store(settings, tmp_path):
    settings.ATTACHMENT_DIR = tmp_path / "attachments"
    return settings.ATTACHMENT_DIR


def upload(
    content: bytes, name: str = "现场照片.jpg", content_type: str = "image/jpeg"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(store) -> list:
    return [path for path in store.rglob("*") if path.is_file()] if store.exists() else []


@pytest.mark.parametrize(
    "content, expected",
    [
        (JPEG, "image/jpeg"),
        (PNG, "image/png"),
        (WEBP, "image/webp"),
        (HEIC, "image/heic"),
        (b"\x00\x00\x00\x18ftypmif1" + b"\x00" * 8, "image/heif"),
        (PDF, "application/pdf"),
        (EXE, None),
        (HTML, None),
        (SVG, None),
        (b"\x00\x00\x00\x18ftypisom" + b"\x00" * 8, None),  # an MP4 video
        (b"PK\x03\x04", None),  # a zip (or a Word file)
    ],
)
def test_the_type_comes_from_the_first_bytes(content, expected):
    assert sniff_content_type(content[:64]) == expected


def test_a_photo_is_stored_under_its_hash_with_the_type_its_content_shows(personas, store):
    item = personas["dispute_a"].case
    attachment = attachment_add(item=item, upload=upload(JPEG, "IMG_0001.JPG", "application/octet-stream"))
    sha = hashlib.sha256(JPEG).hexdigest()
    assert (attachment.sha256, attachment.content_type, attachment.size) == (sha, "image/jpeg", len(JPEG))
    assert blob_path(sha) == store / sha[:2] / sha
    assert blob_path(sha).read_bytes() == JPEG
    assert stored_files(store) == [store / sha[:2] / sha]  # no temporary file left behind


@pytest.mark.parametrize("content", [WEBP, HEIC, PDF])
def test_webp_heic_and_pdf_are_taken(personas, content):
    attachment = attachment_add(item=personas["dispute_a"].case, upload=upload(content, "scan"))
    assert attachment.pk


@pytest.mark.parametrize(
    "content, name",
    [(EXE, "现场照片.jpg"), (HTML, "photo.jpg"), (SVG, "logo.svg"), (b"just text", "note.pdf")],
)
def test_a_disguised_file_is_refused_and_nothing_is_written(personas, store, content, name):
    item = personas["dispute_a"].case
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        attachment_add(item=item, upload=upload(content, name))
    assert refused.value.message_dict["file"] == [
        "只能上传照片（JPEG、PNG、WebP、HEIC）或 PDF 文件，此文件都不是。"
    ]
    assert not Attachment.objects.exists()
    assert stored_files(store) == []
    assert AuditEntry.objects.count() == entries


def test_an_oversized_file_is_refused_and_nothing_is_written(personas, store, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = JPEG + b"\x00" * (1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        attachment_add(item=personas["dispute_a"].case, upload=upload(big))
    assert refused.value.message_dict["file"] == ["文件太大：最大 1 MB。"]
    assert not Attachment.objects.exists()
    assert stored_files(store) == []


def test_an_upload_that_lies_about_its_size_is_stopped_by_its_bytes(personas, store, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    liar = upload(JPEG + b"\x00" * 200)
    liar.size = 10
    with pytest.raises(ValidationError):
        attachment_add(item=personas["dispute_a"].case, upload=liar)
    assert stored_files(store) == []


def test_an_empty_file_is_refused(personas, store):
    with pytest.raises(ValidationError) as refused:
        attachment_add(item=personas["dispute_a"].case, upload=upload(b""))
    assert refused.value.message_dict["file"] == ["文件是空的。"]


def test_the_same_file_twice_is_stored_once(personas, store):
    item = personas["dispute_a"].case
    first = attachment_add(item=item, upload=upload(JPEG))
    again = attachment_add(item=item, upload=upload(JPEG, "又拍了一次.jpg"))
    other_case = attachment_add(item=personas["dispute_b"].case, upload=upload(JPEG))
    assert again.pk == first.pk
    assert other_case.pk != first.pk and other_case.sha256 == first.sha256
    assert len(stored_files(store)) == 1


def test_a_step_of_another_case_is_refused(personas, store):
    other_entry = personas["dispute_b"].case.timeline.first()
    with pytest.raises(ValidationError) as refused:
        attachment_add(item=personas["dispute_a"].case, upload=upload(JPEG), entry=other_entry)
    assert refused.value.message_dict["entry"] == ["这一步骤属于另一个案件。"]
    assert stored_files(store) == []


def test_an_attachment_is_audited_in_its_countys_chain(personas):
    item = personas["dispute_a"].case
    attachment = attachment_add(item=item, upload=upload(PDF, "调解协议.pdf"))
    entry = AuditEntry.objects.get(object_type="attachment", object_key=str(attachment.pk))
    assert entry.verb == "attachment.added"
    assert entry.changes["after"]["item"] == item.ref
    assert entry.changes["after"]["sha256"] == attachment.sha256
    assert entry.region_path.startswith(personas["county"].path)


def test_a_file_name_keeps_only_its_last_part(personas):
    attachment = attachment_add(item=personas["dispute_a"].case, upload=upload(PNG, "x.png"))
    assert attachment.name == "x.png"
    from sanling.work.attachments import clean_name

    assert clean_name("../../etc/passwd\x00.png") == "passwd.png"
    assert clean_name("C:\\Users\\张三\\现场.jpg") == "现场.jpg"
