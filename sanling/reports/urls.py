"""Pages of reports (mounted at /reports/)."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="list"),
]
