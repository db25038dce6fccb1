"""Pages of reporting (mounted at /reporting/)."""

from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.unreported_list, name="list"),
    path("duties/", views.duty_add, name="duty_add"),
    path("duties/defaults/", views.duty_defaults, name="duty_defaults"),
    path("duties/<int:pk>/delete/", views.duty_remove, name="duty_delete"),
]
