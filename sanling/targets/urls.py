"""Pages of targets (mounted at /targets/)."""

from django.urls import path

from . import views

app_name = "targets"

urlpatterns = [
    path("", views.target_list, name="list"),
    path("<int:pk>/clear/", views.target_clear_view, name="clear"),
]
