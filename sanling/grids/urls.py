"""Pages of grids (mounted at /grids/)."""

from django.urls import path

from . import views

app_name = "grids"

urlpatterns: list = [
    path("", views.grid_list, name="list"),
    path("posts/new/", views.post_add, name="post_add"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/end/", views.post_finish, name="post_end"),
]
