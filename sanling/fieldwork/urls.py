"""Pages of fieldwork (mounted at /fieldwork/)."""

from django.urls import path

from . import views

app_name = "fieldwork"

urlpatterns = [
    path("", views.today, name="today"),
]
