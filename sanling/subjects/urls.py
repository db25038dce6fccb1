from django.urls import path

from . import views

app_name = "subjects"
urlpatterns = [
    path("", views.subject_list, name="list"),
    path("export.xlsx", views.subject_export, name="export"),
    path("search/", views.subject_search, name="search"),
    path("<int:pk>/", views.subject_detail, name="detail"),
]
