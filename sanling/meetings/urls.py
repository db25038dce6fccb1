"""Pages of meetings (mounted at /meetings/)."""

from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create_view, name="create"),
    path("adoptions/", views.adoptions, name="adoptions"),
    path("<str:ref>/", views.meeting_detail, name="meeting"),
    path("<str:ref>/edit/", views.meeting_edit, name="edit"),
    path("<str:ref>/problems/new/", views.problem_add, name="problem_add"),
    path("<str:ref>/problems/<int:pk>/open/", views.problem_open, name="problem_open"),
    path("<str:ref>/attendance/new/", views.attendee_add, name="attendee_add"),
]
