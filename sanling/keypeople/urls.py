"""Pages of keypeople (mounted at /key-people/)."""

from django.urls import path

from . import views

app_name = "keypeople"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("export/", views.person_export, name="export"),
    path("export.csv", views.person_export_csv, name="export_csv"),
    path("export/job/", views.export_job, name="export_job"),
    path("frequencies/", views.frequencies, name="frequencies"),
    path("<str:ref>/", views.person_detail, name="detail"),
    path("<str:ref>/edit/", views.person_edit, name="edit"),
    path("<str:ref>/unmask/", views.person_unmask, name="unmask"),
    path("<str:ref>/visit/", views.visit_record, name="visit"),
    path("<str:ref>/release/", views.person_release, name="release"),
]
