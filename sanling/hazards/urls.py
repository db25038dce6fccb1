"""Pages of hazards (mounted at /hazards/)."""

from django.urls import path

from . import views

app_name = "hazards"

urlpatterns = [
    path("", views.hazard_list, name="list"),
    path("export.xlsx", views.hazard_export, name="export"),
    path("export/job/", views.hazard_export_job, name="export_job"),
    path("inspections/new/", views.inspection_new, name="inspection_create"),
    # The case of a hazard, by the ref that follows it from 排查 to 复查.
    path("<str:ref>/", views.case, name="case"),
    path("<str:ref>/rectify/", views.rectify, name="rectify"),
    path("<str:ref>/request-recheck/", views.request_recheck, name="request_recheck"),
    path("<str:ref>/recheck/", views.recheck, name="recheck"),
]
