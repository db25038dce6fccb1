from django.urls import path

from . import case_views, views

app_name = "disputes"
urlpatterns = [
    path("", views.dispute_list, name="list"),
    path("export.xlsx", views.dispute_export, name="export"),
    path("export/job/", views.dispute_export_job, name="export_job"),
    path("new/", views.create, name="create"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    # The case (一案一码): its page, its sheet and its moves, by the ref that follows it through every level.
    path("<str:ref>/", case_views.case, name="case"),
    path("<str:ref>/sheet/", case_views.sheet, name="sheet"),
    path("<str:ref>/mediate/", case_views.mediate, name="mediate"),
    path("<str:ref>/escalate/", case_views.escalate, name="escalate"),
    path("<str:ref>/resolve/", case_views.resolve, name="resolve"),
    path("<str:ref>/fail/", case_views.fail, name="fail"),
    path("<str:ref>/to-petition/", case_views.to_petition, name="to_petition"),
    path("<str:ref>/to-litigation/", case_views.to_litigation, name="to_litigation"),
    path("<str:ref>/follow-up/", case_views.follow_up, name="follow_up"),
]
