"""The import screen: upload a bundle, read the dry run with every row error, then confirm to apply it."""

import os
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from sanling.accounts.scope import request_scope

from .exporter import bundle_template
from .importer import ImportResult, bundle_import
from .reader import ZIP_MAGIC, BundleInvalid
from .uploads import TOO_LARGE, upload_discard, uploads_prune

SUFFIXES = (".zip", ".xlsx", ".csv")
FILE_LABELS = {
    "regions": pgettext_lazy("bundle file", "Regions"),
    "departments": pgettext_lazy("bundle file", "Departments"),
    "organisations": pgettext_lazy("bundle file", "Organisations"),
    "subjects": pgettext_lazy("bundle file", "Subjects"),
    "events": pgettext_lazy("bundle file", "Events"),
    "disputes": pgettext_lazy("bundle file", "Disputes"),
    "petitions": pgettext_lazy("bundle file", "Petitions"),
}
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


def _stored(token: str) -> Path | None:
    """The uploaded bundle behind ``token`` (a uuid we generated, with the file's suffix), if still there."""
    name = Path(token).name
    try:
        uuid.UUID(name.split(".", 1)[0])
    except ValueError:
        return None
    path = Path(settings.UPLOAD_DIR) / name
    return path if path.exists() else None


@login_required
def upload(request: HttpRequest) -> HttpResponse:
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
        target = path.parent if path.suffix == ".csv" else path
        request.session[UPLOAD_NAMES] = {**request.session.get(UPLOAD_NAMES, {}), token: upload_file.name}
        try:
            result = bundle_import(target, dry_run=True, scope=request_scope(request), name=upload_file.name)
        except BundleInvalid as invalid:
            _discard(request, token)
            return render(
                request,
                "exchange/upload.html",
                {"form": UploadForm(), "errors": invalid.errors, "name": upload_file.name},
            )
        return render(
            request,
            "exchange/upload.html",
            {
                "form": UploadForm(),
                "plan": _plan(result),
                "token": token,
                "name": upload_file.name,
            },
        )
    return render(request, "exchange/upload.html", {"form": form})


@login_required
def confirm(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    if request.method != "POST":
        return redirect("exchange:upload")
    path = _stored(request.POST.get("token", ""))
    if path is None:
        messages.error(request, _("The uploaded file is gone; upload it again."))
        return redirect("exchange:upload")
    token = Path(request.POST["token"]).name
    if token not in request.session.get(UPLOAD_NAMES, {}):  # only the session that uploaded it
        messages.error(request, _("The uploaded file is gone; upload it again."))
        return redirect("exchange:upload")
    name = request.session[UPLOAD_NAMES][token]
    if request.POST.get("discard"):
        _discard(request, token)
        messages.success(request, _("The uploaded file was discarded; nothing was imported."))
        return redirect("exchange:upload")
    try:
        result = bundle_import(path, scope=request_scope(request), name=name)
    except BundleInvalid as invalid:
        context = {"form": UploadForm(), "errors": invalid.errors, "name": name}
        return render(request, "exchange/upload.html", context)
    finally:
        _discard(request, token)  # imported or refused, the upload has served its purpose
    summary = "；".join(
        _("%(file)s: %(created)s new, %(updated)s updated, %(unchanged)s unchanged")
        % {"file": label, "created": counts.created, "updated": counts.updated, "unchanged": counts.unchanged}
        for label, counts in _plan(result)
    )
    messages.success(request, _("Imported. %(summary)s") % {"summary": summary})
    return redirect("exchange:upload")


def _discard(request: HttpRequest, token: str) -> None:
    """Delete the upload behind ``token`` and forget it in the session."""
    names = request.session.get(UPLOAD_NAMES, {})
    names.pop(token, None)
    request.session[UPLOAD_NAMES] = names
    if (path := _stored(token)) is not None:
        upload_discard(path)


def _discard_pending(request: HttpRequest) -> None:
    for token in list(request.session.get(UPLOAD_NAMES, {})):
        _discard(request, token)


def _plan(result: ImportResult) -> list[tuple[str, object]]:
    """The counts of each file of an import, under the file's name in the UI."""
    return [(str(FILE_LABELS[key]), counts) for key, counts in result.files.items()]


@login_required
def template(request: HttpRequest) -> HttpResponse:
    """An empty bundle to fill in: one sheet per file, Chinese headers, one example row each (no data)."""
    _require_admin(request)
    response = HttpResponse(
        bundle_template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="sanling-import-template.xlsx"'
    return response
