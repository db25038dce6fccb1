from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("sanling.accounts.urls")),
    path("dashboard/", include("sanling.dashboard.urls")),
    path("subjects/", include("sanling.subjects.urls")),
    path("events/", include("sanling.events.urls")),
    path("disputes/", include("sanling.disputes.urls")),
    path("petitions/", include("sanling.petitions.urls")),
    path("work/", include("sanling.work.urls")),
    path("grids/", include("sanling.grids.urls")),
    path("hazards/", include("sanling.hazards.urls")),
    path("key-people/", include("sanling.keypeople.urls")),
    path("visits/", include("sanling.visits.urls")),
    path("patrols/", include("sanling.patrols.urls")),
    path("meetings/", include("sanling.meetings.urls")),
    path("fieldwork/", include("sanling.fieldwork.urls")),
    path("targets/", include("sanling.targets.urls")),
    path("alerts/", include("sanling.alerts.urls")),
    path("reporting/", include("sanling.reporting.urls")),
    path("assignments/", include("sanling.assignments.urls")),
    path("supervision/", include("sanling.supervision.urls")),
    path("reviews/", include("sanling.reviews.urls")),
    path("reports/", include("sanling.reports.urls")),
    path("scoring/", include("sanling.scoring.urls")),
    path("dictionary/", include("sanling.dictionary.urls")),
    path("import/", include("sanling.exchange.urls")),
    path("jobs/", include("sanling.jobs.urls")),
    path("api/v1/", include("sanling.api.urls")),
    path("audit/", include("sanling.audit.urls")),
    path("", RedirectView.as_view(pattern_name="dashboard:home", permanent=False)),
    # Browsers and tools ask for /favicon.ico whatever the page links; the file lives with the static files.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.ico"), permanent=True)),
]

handler400 = "sanling.api.errors.bad_request"
handler500 = "sanling.api.errors.server_error"
