"""Pages of alerts (mounted at /alerts/)."""

from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("", views.index, name="list"),
    path("changes/", views.changes, name="changes"),
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.rule_set_new, name="rule_set_new"),
    path("rules/<int:pk>/thresholds/", views.thresholds_edit, name="thresholds"),
    path("rules/<int:pk>/consequences/", views.consequences_edit, name="consequences"),
    path("rules/rule/<int:pk>/", views.rule_edit, name="rule"),
]
