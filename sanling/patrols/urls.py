"""Pages of patrols (mounted at /patrols/)."""

from django.urls import path

from . import views

app_name = "patrols"

urlpatterns = [
    path("", views.log_list, name="list"),
    path("new/", views.log_create, name="log_create"),
    path("teams/", views.team_list, name="teams"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("teams/<int:pk>/shifts/new/", views.shift_create, name="shift_create"),
    path("<str:ref>/", views.log_detail, name="log"),
    path("<str:ref>/edit/", views.log_edit, name="log_edit"),
]
