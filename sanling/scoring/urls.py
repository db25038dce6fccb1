"""Pages of scoring (mounted at /scoring/)."""

from django.urls import path

from . import views

app_name = "scoring"

urlpatterns = [
    path("", views.index, name="list"),
]
