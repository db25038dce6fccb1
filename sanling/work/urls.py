from django.urls import path

from . import views

app_name = "work"
urlpatterns = [
    path("", views.my_work_page, name="mine"),
    path("overdue/", views.overdue_page, name="overdue"),
    path("notifications/", views.notifications_page, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<str:ref>/attachments/", views.attachment_add_view, name="attachment_add"),
]
