"""Pages of reports (mounted at /reports/)."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="list"),
    path("new/", views.report_new, name="new"),
    path("bulletin/", views.bulletin, name="bulletin"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/file/", views.report_file, name="file"),
    path("<int:pk>/send/", views.report_distribute_view, name="distribute"),
]
