"""/api/v1/: every endpoint, the OpenAPI schema and its interactive docs."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from sanling.accounts.api import ApiTokenViewSet, PasswordTokenView
from sanling.alerts import api as alerts_api
from sanling.assessment.api import RatesView
from sanling.assignments import api as assignments_api
from sanling.audit.api import AuditEntryViewSet
from sanling.departments.api import DepartmentViewSet
from sanling.disputes.api import DisputeViewSet
from sanling.events.api import EventViewSet
from sanling.fieldwork import api as fieldwork_api
from sanling.grids import api as grids_api
from sanling.hazards import api as hazards_api
from sanling.keypeople import api as keypeople_api
from sanling.meetings import api as meetings_api
from sanling.organisations.api import OrganisationViewSet
from sanling.patrols import api as patrols_api
from sanling.petitions.api import PetitionViewSet
from sanling.petitions.ledger_api import AgencyCaseViewSet, BacklogViewSet
from sanling.regions.api import RegionViewSet
from sanling.reporting import api as reporting_api
from sanling.reports import api as reports_api
from sanling.reviews import api as reviews_api
from sanling.scoring import api as scoring_api
from sanling.subjects.api import SubjectViewSet
from sanling.supervision import api as supervision_api
from sanling.targets import api as targets_api
from sanling.visits import api as visits_api
from sanling.work.api import AttachmentDownloadView, CaseAttachmentsView, MyWorkView

from .errors import api_not_found
from .permissions import SchemaReader

app_name = "api"

router = SimpleRouter()

router.register("regions", RegionViewSet, basename="region")
router.register("departments", DepartmentViewSet, basename="department")
router.register("subjects", SubjectViewSet, basename="subject")
router.register("events", EventViewSet, basename="event")
router.register("disputes", DisputeViewSet, basename="dispute")
router.register("petitions", PetitionViewSet, basename="petition")
router.register("agency-cases", AgencyCaseViewSet, basename="agency-case")
router.register("backlog", BacklogViewSet, basename="backlog")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("audit", AuditEntryViewSet, basename="audit")
router.register("tokens", ApiTokenViewSet, basename="token")
# Fieldwork (issue 15): each app registers its own resources.
fieldwork_paths = [
    *grids_api.register(router),
    *hazards_api.register(router),
    *keypeople_api.register(router),
    *visits_api.register(router),
    *patrols_api.register(router),
    *meetings_api.register(router),
    *fieldwork_api.register(router),
]
# Supervision and reports (issue 16).
supervision_paths = [
    *targets_api.register(router),
    *alerts_api.register(router),
    *reporting_api.register(router),
    *assignments_api.register(router),
    *supervision_api.register(router),
    *reviews_api.register(router),
    *reports_api.register(router),
    *scoring_api.register(router),
]

urlpatterns = [
    path("rates/", RatesView.as_view(), name="rates"),
    path("auth/token/", PasswordTokenView.as_view(), name="password-token"),
    path("my-work/", MyWorkView.as_view(), name="my-work"),
    path("cases/<str:ref>/attachments/", CaseAttachmentsView.as_view(), name="case-attachments"),
    path("attachments/<int:pk>/", AttachmentDownloadView.as_view(), name="attachment-download"),
    *fieldwork_paths,
    *supervision_paths,
    path("schema/", SpectacularAPIView.as_view(permission_classes=[SchemaReader]), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(
            url_name="api:schema", permission_classes=[SchemaReader], template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    path("", include(router.urls)),
    re_path(r"^.*$", api_not_found),
]
