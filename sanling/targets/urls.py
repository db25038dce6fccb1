"""Pages of targets (mounted at /targets/)."""

from django.urls import path

from . import views

app_name = "targets"

urlpatterns = [
    path("", views.index, name="list"),
]
