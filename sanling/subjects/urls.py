from django.urls import path

from . import views

app_name = "subjects"
urlpatterns = [
    path("", views.subject_list, name="list"),
    path("export.xlsx", views.subject_export, name="export"),
    path("export/job/", views.subject_export_job, name="export_job"),
    path("search/", views.subject_search, name="search"),
    path("<int:pk>/", views.subject_detail, name="detail"),
    path("<int:pk>/unmask/", views.subject_unmask, name="unmask"),
    path("new/", views.subject_new, name="create"),
    path("<int:pk>/edit/", views.subject_edit, name="edit"),
    path("<int:pk>/move/", views.subject_relocate, name="move"),
    path("<int:pk>/retire/", views.subject_end, name="retire"),
    path("regions/", views.region_search, name="regions"),
]
