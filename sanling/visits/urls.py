"""Pages of visits (mounted at /visits/)."""

from django.urls import path

from . import views

app_name = "visits"

urlpatterns = [
    path("", views.visit_list, name="list"),
    path("new/", views.visit_create, name="create"),
    path("export.xlsx", views.visit_export, name="export"),
    path("export/job/", views.visit_export_job, name="export_job"),
    path("households/", views.household_counts, name="households"),
    path("households/<int:pk>/", views.household_count_edit, name="household_edit"),
    path("<str:ref>/", views.visit_edit, name="edit"),
    path("<str:ref>/delete/", views.visit_delete, name="delete"),
    path("<str:ref>/dispute/", views.visit_dispute, name="dispute"),
]
