"""我的待办, the leaders' overdue list, notifications and the evidence of a case (upload and download)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sanling.accounts.scope import get_object_for_user, request_scope
from sanling.exchange.uploads import TOO_LARGE

from .attachments import attachment_add, attachments_of, blob_path, is_image
from .deadlines import days_overdue
from .models import Notification, TimelineEntry
from .selectors import case_url, is_leader, my_recently_closed, my_work, overdue_by_organisation, step_label
from .services import notifications_mark_read

PAGE_SIZE = 50


@login_required
def my_work_page(request: HttpRequest) -> HttpResponse:
    """我的待办: the open cases with the user or their organisation, soonest due first, overdue in red."""
    scope = request_scope(request)
    today = timezone.localdate()
    page = Paginator(my_work(request.user, scope=scope), PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page:
        item.days_overdue = days_overdue(item.due_on, today)
        item.step_label = step_label(item.kind, item.step)
        item.case_url = case_url(item)
    closed = my_recently_closed(request.user, on=today, scope=scope)
    for item in closed:
        item.step_label = step_label(item.kind, item.step)
        item.case_url = case_url(item)
    return render(
        request,
        "work/my_work.html",
        {"page": page, "closed": closed, "today": today, "is_leader": is_leader(scope)},
    )


@login_required
def overdue_page(request: HttpRequest) -> HttpResponse:
    """The overdue work of the leader's subtree (or department), by organisation with counts."""
    scope = request_scope(request)
    if not is_leader(scope):
        raise PermissionDenied
    today = timezone.localdate()
    groups = overdue_by_organisation(scope, on=today)
    for group in groups:
        for item in group.items:
            item.step_label = step_label(item.kind, item.step)
            item.case_url = case_url(item)
    return render(
        request,
        "work/overdue.html",
        {"groups": groups, "today": today, "total": sum(group.count for group in groups)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def notifications_page(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first; POST marks them all read."""
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        return redirect("work:notifications")
    notifications = Notification.objects.filter(user=request.user).select_related("item")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    for notification in page:
        notification.case_url = case_url(notification.item) if notification.item else ""
    unread = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    return render(request, "work/notifications.html", {"page": page, "unread": unread})


def _back(request: HttpRequest, item) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return case_url(item)


@login_required
@require_http_methods(["GET", "POST"])
def attachment_add_view(request: HttpRequest, ref: str) -> HttpResponse:
    """The evidence of a case: GET shows the list and the form (the partial), POST attaches a file."""
    scope = request_scope(request)
    item = get_object_for_user(scope.work_items().select_related("subject__region"), ref=ref)
    if request.method == "POST":
        if not scope.can_write:
            raise PermissionDenied
        entry = None
        raw_entry = request.POST.get("entry", "")
        if raw_entry:
            entry = TimelineEntry.objects.filter(
                item=item, pk=raw_entry if raw_entry.isdigit() else 0
            ).first()
            if entry is None:
                raise Http404
        upload = request.FILES.get("file")
        try:
            if getattr(request, TOO_LARGE, False) and upload is None:
                raise ValidationError({"file": _("The file is too large.")})
            if upload is None:
                raise ValidationError({"file": _("Choose a photo or a PDF file to attach.")})
            attachment = attachment_add(item=item, upload=upload, entry=entry)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            status = 400
        else:
            messages.success(request, _("Attached “%(name)s”.") % {"name": attachment.name})
            status = 200
        if request.headers.get("HX-Request") or status == 400:  # a refusal is answered as one, not redirected
            return _partial(request, item, status=status)
        return redirect(_back(request, item))
    return _partial(request, item)


def _partial(request: HttpRequest, item, status: int = 200) -> HttpResponse:
    """The partial alone for htmx, else a page around it (the link from 我的待办)."""
    template = "work/_attachments.html" if request.headers.get("HX-Request") else "work/attachments_page.html"
    return render(
        request,
        template,
        {"item": item, "attachments": attachments_of(item), "case_url": case_url(item)},
        status=status,
    )


@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """One attachment, to a user whose scope holds its case (404 to anyone else)."""
    attachment = get_object_for_user(request_scope(request).attachments(), pk=pk)
    return attachment_response(attachment)


def attachment_response(attachment) -> FileResponse:
    """The stored file with its checked content type: images shown inline, anything else downloaded; the
    browser told not to guess the type and the file kept out of shared caches."""
    path = blob_path(attachment.sha256)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=attachment.content_type,
        as_attachment=not is_image(attachment.content_type),
        filename=attachment.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@login_required
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read (only one's own: anyone else's is not found, whatever the method)."""
    notification = get_object_for_user(Notification.objects.filter(user=request.user), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    notifications_mark_read(user=request.user, pk=notification.pk)
    return redirect("work:notifications")
