from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_done.html"),
        name="password_done",
    ),
    path("otp/", views.otp_verify_view, name="otp_verify"),
    path("otp/enrol/", views.otp_enrol_view, name="otp_enrol"),
    path("otp/remove/", views.otp_remove_view, name="otp_remove"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("users/", views.users, name="users"),
    path("users/new/", views.user_edit, name="user_create"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("users/<int:pk>/grant/", views.user_grant, name="user_grant"),
    path("users/<int:pk>/password-reset/", views.user_password_reset, name="user_password_reset"),
    path("regions/", views.region_search, name="region_search"),
]
