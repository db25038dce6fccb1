"""Uploaded bundles: bounded in size while they arrive, kept only until their import is done or abandoned.

An upload lives in ``UPLOAD_DIR`` under a random name between the dry run and the confirmation. It is
deleted when the import is confirmed (whether it succeeds or is refused), when the dry run finds it
invalid, when the same session uploads another bundle, when the user discards it, and in any case once it
is older than ``UPLOAD_RETENTION_MINUTES`` (``uploads_prune``: run at every upload and by
``sanling uploads prune``, e.g. from cron). What a bundle may hold once opened (zip magic, member count and
sizes, member names) is checked by ``reader.py``.
"""

import datetime
import shutil
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

TOO_LARGE = "upload_too_large"  # request attribute set when a file went over the limit


class LimitedUploadHandler(FileUploadHandler):
    """Stops receiving any uploaded file once it passes ``UPLOAD_MAX_BYTES``: the rest of that file is read
    from the connection and thrown away, never stored, and the request is marked so the view answers in
    Chinese instead of "this field is required". Django's own handlers (memory, then a temporary file)
    follow it and see only files within the limit."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            setattr(self.request, TOO_LARGE, True)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def uploads_prune(*, older_than: datetime.timedelta | None = None) -> int:
    """Delete every upload older than ``older_than`` (by default ``UPLOAD_RETENTION_MINUTES``): bundles
    checked but never confirmed. Returns how many were deleted."""
    if older_than is None:
        older_than = datetime.timedelta(minutes=settings.UPLOAD_RETENTION_MINUTES)
    folder = Path(settings.UPLOAD_DIR)
    if not folder.is_dir():
        return 0
    cutoff = time.time() - older_than.total_seconds()
    deleted = 0
    for item in folder.iterdir():
        try:
            if item.lstat().st_mtime <= cutoff:
                upload_discard(item)
                deleted += 1
        except FileNotFoundError:  # another process pruned it first
            continue
    return deleted


def upload_path(token: str) -> Path | None:
    """The uploaded bundle behind ``token`` (a uuid we generated, with the file's suffix), if still there:
    the file, or the folder a single CSV is kept in. Any other token (a path, a guess) is None."""
    name = Path(token).name
    try:
        uuid.UUID(name.split(".", 1)[0])
    except ValueError:
        return None
    path = Path(settings.UPLOAD_DIR) / name
    return path if path.exists() else None


def upload_discard(path: Path) -> None:
    """Delete one upload (a file, or the folder a single CSV is kept in)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
