"""Pages of supervision (mounted at /supervision/)."""

from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.index, name="list"),
]
