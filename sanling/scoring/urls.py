"""Pages of scoring (mounted at /scoring/)."""

from django.urls import path

from . import views

app_name = "scoring"

urlpatterns = [
    path("", views.score_list, name="list"),
    path("export/", views.score_export, name="export"),
    path("sets/", views.set_list, name="sets"),
    path("sets/<int:pk>/", views.set_edit, name="set_edit"),
]
