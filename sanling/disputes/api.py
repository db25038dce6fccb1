"""Disputes (矛盾纠纷) over the API, through the dispute services."""

from sanling.accounts.scope import request_scope
from sanling.api.records import DatedRecordSerializer, DatedRecordViewSet
from sanling.personal.fields import personal_columns
from sanling.subjects.models import Subject

from .filters import DisputeFilter
from .models import DISPUTE_FIELDS, Dispute
from .services import dispute_create, dispute_delete, dispute_update


class DisputeSerializer(DatedRecordSerializer):
    class Meta:
        model = Dispute
        fields = ["ref", "subject", *DISPUTE_FIELDS, "version", "created_at", "updated_at"]
        extra_kwargs = {"ref": {"required": False, "help_text": "given by the caller or generated"}}


class DisputeViewSet(DatedRecordViewSet):
    """Disputes registered, mediated and resolved at a subject."""

    serializer_class = DisputeSerializer
    filterset_class = DisputeFilter
    ordering_fields = ["reported_on", "ref", "updated_at"]
    ordering = ["-reported_on", "ref"]
    record_argument = "dispute"
    create_service = staticmethod(dispute_create)
    update_service = staticmethod(dispute_update)
    delete_service = staticmethod(dispute_delete)

    def get_queryset(self):
        # The subject's contact data is not part of the answer: left unread, nothing is decrypted.
        return (
            request_scope(self.request)
            .disputes()
            .select_related("subject")
            .defer(*personal_columns(Subject, "subject__"))
        )
