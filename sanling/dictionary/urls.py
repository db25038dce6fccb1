from django.urls import path

from . import views

app_name = "dictionary"
urlpatterns = [
    path("dispute-categories/", views.categories, name="categories"),
    path("dispute-categories/<int:pk>/", views.category_edit, name="category_edit"),
]
