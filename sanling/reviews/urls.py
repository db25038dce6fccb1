"""Pages of reviews (mounted at /reviews/)."""

from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/items/<int:item>/note/", views.review_item_note, name="note"),
    path("<int:pk>/refresh/", views.review_refresh_view, name="refresh"),
    path("<int:pk>/finalise/", views.review_finalise_view, name="finalise"),
    path("<int:pk>/export/<str:fmt>/", views.review_export, name="export"),
]
