"""Evidence (a photo from the phone's camera, a scan, a PDF) on a work item or one of its steps.

What a file is comes from its first bytes, never from its name or the browser's word: only JPEG, PNG,
WebP, HEIC/HEIF and PDF are taken, so an ``.exe`` renamed ``.jpg``, an HTML page or an SVG (which can carry
script) is refused. A file is stored once under ``ATTACHMENT_DIR/<first two hex digits>/<sha256>``,
outside the web root, written to a temporary file first and moved into place in one step, so a reader never
sees half a file and an upload refused half-way leaves nothing behind. The same content on two cases is
stored once; only ``views.attachment_download`` (and its API twin) serve it, after checking the scope.
"""

import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanling.audit.context import current_actor
from sanling.audit.models import Action
from sanling.audit.services import Change, audit_changes

from .models import Attachment, TimelineEntry, WorkItem

# How many bytes the type check reads: every signature below lies in the first 16.
SNIFF_BYTES = 64
CHUNK = 64 * 1024
# ISO base media brands of HEIC/HEIF still images (iPhone photos are "heic"; "mif1" is plain HEIF).
HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}
HEIF_BRANDS = {b"mif1", b"msf1"}
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/heic", "image/heif"})


def sniff_content_type(head: bytes) -> str | None:
    """The content type the first bytes of a file show, or None for anything not taken as evidence."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in HEIC_BRANDS:
            return "image/heic"
        if brand in HEIF_BRANDS:
            return "image/heif"
        return None
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def is_image(content_type: str) -> bool:
    return content_type in IMAGE_TYPES


def blob_path(sha256: str) -> Path:
    """Where the content with this hash lives."""
    return Path(settings.ATTACHMENT_DIR) / sha256[:2] / sha256


def clean_name(name: str) -> str:
    """The file name as shown and offered on download: its last path part, without control characters."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().strip(".")
    return name[:200] or "attachment"


def _too_large() -> ValidationError:
    megabytes = settings.ATTACHMENT_MAX_BYTES / (1024 * 1024)
    return ValidationError(
        {"file": _("The file is too large: at most %(size)s MB.") % {"size": f"{megabytes:g}"}},
        code="too_large",
    )


def _refused_type() -> ValidationError:
    return ValidationError(
        {
            "file": _(
                "Only photos (JPEG, PNG, WebP, HEIC) and PDF files can be attached; this file is neither."
            )
        },
        code="refused_type",
    )


def _receive(upload) -> tuple[Path, str, int, str]:
    """Copy the upload into a temporary file beside the store while hashing it; refuse it (and remove the
    temporary file) when it is too large or not a type we take. Returns (temporary path, sha256, size,
    content type)."""
    limit = settings.ATTACHMENT_MAX_BYTES
    if getattr(upload, "size", None) is not None and upload.size > limit:
        raise _too_large()
    folder = Path(settings.ATTACHMENT_DIR) / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=folder, prefix="upload-")
    temporary = Path(name)
    try:
        digest = hashlib.sha256()
        size = 0
        head = b""
        with os.fdopen(descriptor, "wb") as out:
            if hasattr(upload, "seek"):
                upload.seek(0)
            for chunk in (
                upload.chunks(CHUNK) if hasattr(upload, "chunks") else iter(lambda: upload.read(CHUNK), b"")
            ):
                size += len(chunk)
                if size > limit:  # the declared size can lie; the bytes cannot
                    raise _too_large()
                if len(head) < SNIFF_BYTES:
                    head += chunk[: SNIFF_BYTES - len(head)]
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise ValidationError({"file": _("The file is empty.")}, code="empty")
        content_type = sniff_content_type(head)
        if content_type is None:
            raise _refused_type()
        return temporary, digest.hexdigest(), size, content_type
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _store(temporary: Path, sha256: str) -> None:
    """Move the received file into place, or drop it when the same content is already stored."""
    target = blob_path(sha256)
    if target.exists():
        temporary.unlink(missing_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(temporary, 0o640)
    os.replace(temporary, target)  # atomic on one file system: the store never holds half a file


@transaction.atomic
def attachment_add(*, item: WorkItem, upload, entry: TimelineEntry | None = None) -> Attachment:
    """Attach ``upload`` (a Django ``UploadedFile``) to ``item``, or to one step ``entry`` of it.

    Refused with a Chinese message, writing nothing, when it is larger than ``ATTACHMENT_MAX_BYTES``, empty,
    or not a JPEG, PNG, WebP, HEIC/HEIF or PDF by its content. The same content attached to the same item
    again gives back the attachment already there."""
    if entry is not None and entry.item_id != item.pk:
        raise ValidationError({"entry": _("This step belongs to another case.")})
    temporary, sha256, size, content_type = _receive(upload)
    try:
        existing = Attachment.objects.filter(item=item, sha256=sha256).order_by("pk").first()
        if existing is not None:
            temporary.unlink(missing_ok=True)
            return existing
        user = current_actor().user
        attachment = Attachment(
            item=item,
            entry=entry,
            sha256=sha256,
            name=clean_name(getattr(upload, "name", "")),
            content_type=content_type,
            size=size,
            uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        )
        attachment.full_clean()
        attachment.save()
        _store(temporary, sha256)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    subject = item.subject
    audit_changes(
        [
            Change(
                Action.CREATE,
                "attachment",
                str(attachment.pk),
                subject.region.path,
                after={
                    "item": item.ref,
                    "entry": entry.pk if entry else None,
                    "name": attachment.name,
                    "sha256": sha256,
                    "content_type": content_type,
                    "size": size,
                },
                verb="attachment.added",
            )
        ]
    )
    return attachment


def attachments_of(item: WorkItem) -> list[Attachment]:
    """The attachments of ``item`` in the order they came, with who uploaded them."""
    return list(item.attachments.select_related("uploaded_by", "entry").order_by("uploaded_at", "pk"))
