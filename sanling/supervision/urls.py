"""Pages of supervision (mounted at /supervision/)."""

from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.index, name="list"),
    path("visits/new/", views.visit_create_view, name="visit_create"),
    path("visits/<str:ref>/", views.visit_detail, name="visit"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("letters/", views.letter_list, name="letters"),
    path("letters/<str:ref>/", views.letter_detail, name="letter"),
    path("letters/<str:ref>/issue/", views.letter_issue_view, name="letter_issue"),
    path("letters/<str:ref>/decline/", views.letter_decline_view, name="letter_decline"),
    path("letters/<str:ref>/acknowledge/", views.letter_acknowledge_view, name="letter_acknowledge"),
    path("letters/<str:ref>/respond/", views.letter_respond_view, name="letter_respond"),
    path("letters/<str:ref>/letter.docx", views.letter_docx, name="letter_docx"),
    path("letters/<str:ref>/letter.pdf", views.letter_pdf, name="letter_pdf"),
    path("rules/", views.rules, name="rules"),
    path("rules/templates/<str:kind>/", views.template_edit, name="template"),
]
