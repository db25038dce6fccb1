"""The import screen: upload a bundle, read the dry run with every row error, then confirm to apply it.

The dry run and the import run as background jobs (``exchange.jobs``): the upload redirects to the dry
run's page, which shows its progress and then its plan, and the confirmation to the import's."""

import os
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanling.accounts.scope import request_scope
from sanling.jobs.models import JobStatus
from sanling.jobs.selectors import job_for_user
from sanling.jobs.services import job_start

from .exporter import bundle_template
from .reader import ZIP_MAGIC
from .uploads import TOO_LARGE, upload_discard, upload_path, uploads_prune

SUFFIXES = (".zip", ".xlsx", ".csv")
UPLOAD_NAMES = "exchange_upload_names"  # session key: token -> the name the file was uploaded under


class UploadForm(forms.Form):
    bundle = forms.FileField(label=gettext_lazy("Bundle (.zip, .xlsx or one .csv)"))

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    def clean(self):
        if self.too_large:  # the upload handler stopped receiving the file: say why, not "required"
            self.errors.pop("bundle", None)
            self.add_error("bundle", _too_large_message())
        return super().clean()

    def clean_bundle(self):
        upload = self.cleaned_data["bundle"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_too_large_message())
        if not upload.name.lower().endswith(SUFFIXES):
            raise forms.ValidationError(
                _("Upload a .zip of CSV files, an .xlsx workbook or a single .csv file.")
            )
        # The content, not the name, says what a file is.
        head = upload.read(4096)
        upload.seek(0)
        if upload.name.lower().endswith((".zip", ".xlsx")) and head[:4] not in ZIP_MAGIC:
            raise forms.ValidationError(
                _("The file is not a .zip archive or an .xlsx workbook, whatever its name.")
            )
        if upload.name.lower().endswith(".csv") and not _looks_like_text(head):
            raise forms.ValidationError(_("The file is not a text CSV file."))
        return upload


def _too_large_message() -> str:
    return _("The file is larger than %(size)s MB, the most an upload may be.") % {
        "size": f"{settings.UPLOAD_MAX_BYTES / 1024 / 1024:g}"
    }


def _looks_like_text(head: bytes) -> bool:
    """Whether the first bytes of a file could be a CSV: a binary file (or UTF-16 text) is full of NUL
    bytes; text has none, or a stray one the reader reports at its cell. Whether the text is UTF-8 the
    reader says, naming the line and how to save it as UTF-8."""
    return head.count(b"\x00") <= max(1, len(head) // 100)


def _require_admin(request: HttpRequest) -> None:
    if not request_scope(request).can_administer:
        raise PermissionDenied


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """Store the bundle and start its dry run as a job; its page shows the progress, then the plan."""
    _require_admin(request)
    uploads_prune()  # bundles checked and never confirmed go once their retention has passed
    form = (
        UploadForm(request.POST, request.FILES, too_large=getattr(request, TOO_LARGE, False))
        if request.method == "POST"
        else UploadForm()
    )
    if request.method == "POST" and form.is_valid():
        _discard_pending(request)  # a new upload abandons the previous one of this session
        upload_file = form.cleaned_data["bundle"]
        folder = Path(settings.UPLOAD_DIR)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        token = f"{uuid.uuid4()}{Path(upload_file.name).suffix.lower()}"
        path = folder / token
        # A single CSV keeps its own name inside a folder, so the importer knows which file it is.
        if token.endswith(".csv"):
            path = folder / token.removesuffix(".csv")
            path.mkdir(mode=0o700)
            token = path.name
            path = path / Path(upload_file.name).name
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file:
            for chunk in upload_file.chunks():
                file.write(chunk)
        request.session[UPLOAD_NAMES] = {**request.session.get(UPLOAD_NAMES, {}), token: upload_file.name}
        job = job_start("import.check", request.user, token=token, name=upload_file.name)
        return redirect("jobs:detail", pk=job.pk)
    return render(request, "exchange/upload.html", {"form": form})


@login_required
def confirm(request: HttpRequest) -> HttpResponse:
    """Import (or discard) the bundle a finished, valid dry run checked: the import runs as a job too."""
    _require_admin(request)
    if request.method != "POST":
        return redirect("exchange:upload")
    try:
        check = job_for_user(request.user, int(request.POST.get("job", "")))
    except (ValueError, Http404):
        check = None
    token = check.params.get("token", "") if check is not None and check.kind == "import.check" else ""
    # Only the session that uploaded the bundle, once its dry run found it valid, and while it is kept.
    if (
        not token
        or check.status != JobStatus.SUCCEEDED
        or not check.report.get("valid")
        or token not in request.session.get(UPLOAD_NAMES, {})
        or upload_path(token) is None
    ):
        messages.error(request, _("The uploaded file is gone; upload it again."))
        return redirect("exchange:upload")
    if request.POST.get("discard"):
        _discard(request, token)
        messages.success(request, _("The uploaded file was discarded; nothing was imported."))
        return redirect("exchange:upload")
    name = request.session[UPLOAD_NAMES][token]
    _forget(request, token)  # the import job deletes the upload once it has run
    job = job_start("import.apply", request.user, token=token, name=name)
    return redirect("jobs:detail", pk=job.pk)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """Start an export of the whole bundle of the user's scope as a job (.xlsx or .zip, Chinese headers)."""
    _require_admin(request)
    if request.method != "POST":
        return redirect("exchange:upload")
    file_format = "zip" if request.POST.get("format") == "zip" else "xlsx"
    job = job_start("export", request.user, export="bundle", params={"format": file_format})
    return redirect("jobs:detail", pk=job.pk)


def _forget(request: HttpRequest, token: str) -> None:
    names = request.session.get(UPLOAD_NAMES, {})
    names.pop(token, None)
    request.session[UPLOAD_NAMES] = names


def _discard(request: HttpRequest, token: str) -> None:
    """Delete the upload behind ``token`` and forget it in the session."""
    _forget(request, token)
    if (path := upload_path(token)) is not None:
        upload_discard(path)


def _discard_pending(request: HttpRequest) -> None:
    for token in list(request.session.get(UPLOAD_NAMES, {})):
        _discard(request, token)


@login_required
def template(request: HttpRequest) -> HttpResponse:
    """An empty bundle to fill in: one sheet per file, Chinese headers, one example row each (no data)."""
    _require_admin(request)
    response = HttpResponse(
        bundle_template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="sanling-import-template.xlsx"'
    return response
