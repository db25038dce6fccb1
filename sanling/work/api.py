"""我的待办 and the evidence of a case over the API: ``/api/v1/my-work/``, ``/api/v1/cases/{ref}/attachments/``
(list, multipart upload) and ``/api/v1/attachments/{id}/`` (the file). Each reads through the caller's scope:
a case or a file outside it does not exist (404)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from sanling.accounts.scope import get_object_for_user, request_scope
from sanling.api.parsers import JSONParser
from sanling.api.views import ApiView
from sanling.exchange.uploads import TOO_LARGE

from .attachments import attachment_add
from .deadlines import days_overdue
from .models import Attachment, TimelineEntry, WorkItem
from .selectors import case_url, my_work
from .views import attachment_response


class MyWorkSerializer(serializers.ModelSerializer):
    subject_code = serializers.CharField(source="subject.code", read_only=True)
    subject_name = serializers.CharField(source="subject.name", read_only=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True, default=None)
    organisation_code = serializers.CharField(source="organisation.code", read_only=True, default=None)
    handler = serializers.CharField(source="handler.username", read_only=True, default=None)
    days_overdue = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = WorkItem
        fields = [
            "ref",
            "kind",
            "step",
            "title",
            "subject_code",
            "subject_name",
            "organisation",
            "organisation_code",
            "handler",
            "opened_on",
            "due_on",
            "days_overdue",
            "url",
        ]

    def get_days_overdue(self, item: WorkItem) -> int:
        return days_overdue(item.due_on, self.context["today"])

    def get_url(self, item: WorkItem) -> str:
        """The case's page on the web."""
        return self.context["request"].build_absolute_uri(case_url(item))


class MyWorkView(ApiView, generics.ListAPIView):
    """The caller's open cases (theirs, or their organisations' queue), the soonest due first."""

    serializer_class = MyWorkSerializer
    filter_backends = []  # the order is the inbox's: due date, none last

    def get_queryset(self):
        return my_work(self.request.user, scope=request_scope(self.request))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}


class AttachmentSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.ref", read_only=True)
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True, default=None)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "item",
            "entry",
            "name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "url",
        ]

    def get_url(self, attachment: Attachment) -> str:
        """Where the file is downloaded (``/api/v1/attachments/{id}/``)."""
        return self.context["request"].build_absolute_uri(f"/api/v1/attachments/{attachment.pk}/")


class CaseAttachmentsView(ApiView, generics.GenericAPIView):
    """The evidence of case ``ref``: GET lists it; POST (multipart/form-data, field ``file``, optional
    ``entry``: the id of one of its timeline entries) attaches a JPEG, PNG, WebP, HEIC or PDF. The same
    content again answers 200 with the attachment already there."""

    serializer_class = AttachmentSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filter_backends = []

    def get_item(self) -> WorkItem:
        return get_object_for_user(
            request_scope(self.request).work_items().select_related("subject__region"), ref=self.kwargs["ref"]
        )

    def get_queryset(self):
        return Attachment.objects.none()

    def get(self, request, ref: str):
        item = self.get_item()
        page = self.paginate_queryset(
            item.attachments.select_related("item", "uploaded_by").order_by("uploaded_at", "pk")
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "AttachmentUpload",
                {"file": serializers.FileField(), "entry": serializers.IntegerField(required=False)},
            )
        },
        responses={201: AttachmentSerializer, 200: AttachmentSerializer},
    )
    def post(self, request, ref: str):
        item = self.get_item()
        upload = request.FILES.get("file")
        if upload is None:
            if getattr(request._request, TOO_LARGE, False):
                raise exceptions.ValidationError({"file": [_("The file is too large.")]})
            raise exceptions.ValidationError({"file": [_("Choose a photo or a PDF file to attach.")]})
        entry = None
        raw_entry = str(request.data.get("entry", "") or "")
        if raw_entry:
            entry = TimelineEntry.objects.filter(
                item=item, pk=raw_entry if raw_entry.isdigit() else 0
            ).first()
            if entry is None:
                raise exceptions.ValidationError({"entry": [_("This step belongs to another case.")]})
        before = item.attachments.count()
        try:
            attachment = attachment_add(item=item, upload=upload, entry=entry)
        except DjangoValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from None
        created = item.attachments.count() > before
        return Response(
            self.get_serializer(attachment).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class AttachmentDownloadView(ApiView, generics.GenericAPIView):
    """The file of one attachment, with its checked content type (images inline, anything else as a
    download)."""

    queryset = Attachment.objects.none()
    serializer_class = AttachmentSerializer

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        attachment = get_object_for_user(request_scope(request).attachments(), pk=pk)
        return attachment_response(attachment)
