from django.urls import path

from . import sheets, views

app_name = "petitions"
urlpatterns = [
    path("", views.petition_list, name="list"),
    path("export.xlsx", views.petition_export, name="export"),
    path("export/job/", views.petition_export_job, name="export_job"),
    path("new/", views.petition_new, name="create"),
    path("backlog/", views.backlog_list, name="backlog"),
    path("backlog/export.xlsx", views.backlog_export, name="backlog_export"),
    path("backlog/export/job/", views.backlog_export_job, name="backlog_export_job"),
    path("backlog/<str:ref>/flag/", views.backlog_flag, name="backlog_flag"),
    path("backlog/<str:ref>/tick/", views.backlog_tick, name="backlog_tick"),
    path("agency/", views.agency_list, name="agency"),
    path("agency/export.xlsx", views.agency_export, name="agency_export"),
    path("agency/export/job/", views.agency_export_job, name="agency_export_job"),
    path("agency/new/", views.agency_new, name="agency_create"),
    # The printable case sheets (一案一码), before the catch-alls that take any ref.
    path("agency/<str:ref>/sheet/", sheets.agency_sheet, name="agency_sheet"),
    path("agency/<str:ref>/", views.agency_detail, name="agency_detail"),
    path("agency/<str:ref>/advance/", views.agency_advance, name="agency_advance"),
    path("agency/<str:ref>/unmask/", views.agency_unmask, name="agency_unmask"),
    path("<str:ref>/sheet/", sheets.petition_sheet, name="sheet"),
    path("<str:ref>/", views.petition_detail, name="detail"),
    path("<str:ref>/unmask/", views.petition_unmask, name="unmask"),
    path("<str:ref>/act/<str:action>/", views.petition_act, name="act"),
]
