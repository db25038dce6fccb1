"""Pages of assignments (mounted at /assignments/)."""

from django.urls import path

from . import views

app_name = "assignments"

urlpatterns = [
    path("", views.assignment_list, name="list"),
    path("export.xlsx", views.assignment_export, name="export"),
    path("new/", views.assignment_new, name="create"),
    path("from-warnings/", views.from_warnings, name="from_warnings"),
    path("<str:ref>/", views.assignment_detail, name="detail"),
    path("<str:ref>/feedback/", views.feedback, name="feedback"),
    path("<str:ref>/accept/", views.accept, name="accept"),
    path("<str:ref>/return/", views.return_, name="return"),
    path("<str:ref>/evidence/<int:pk>/", views.evidence_download, name="evidence"),
]
