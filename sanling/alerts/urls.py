"""Pages of alerts (mounted at /alerts/)."""

from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("", views.index, name="list"),
]
