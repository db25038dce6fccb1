from django.urls import path

from . import views

app_name = "exchange"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("confirm/", views.confirm, name="confirm"),
    path("export/", views.export, name="export"),
    path("template.xlsx", views.template, name="template"),
]
