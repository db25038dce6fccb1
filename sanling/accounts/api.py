"""API tokens over the API: list, create and revoke one's own; trade a password for a token."""

from dataclasses import replace

from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.response import Response
from rest_framework.views import APIView

from sanling.api.throttles import TokenThrottle
from sanling.api.views import ApiView
from sanling.audit.context import acting, current_actor

from .lockout import locked_message
from .models import ApiToken
from .policy import has_second_factor, password_change_reason, requires_second_factor
from .services import api_token_create, api_token_revoke, login_succeeded_record, otp_verify

NO_STORE = {"Cache-Control": "no-store"}  # a new key must not linger in a cache


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
        read_only_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]


class NewApiTokenSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="shown once: keep it safe")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]


class ApiTokenViewSet(
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your own API tokens. Creating one returns its key once; deleting one revokes it."""

    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()  # for the schema; get_queryset gives the user's own
    throttle_classes = [TokenThrottle]
    writes_own_objects = True  # read-only roles may still make tokens to read through the API
    filter_backends: list = []
    ordering = ["-created_at"]

    def get_queryset(self):
        return ApiToken.objects.filter(user=self.request.user).order_by("-created_at")

    @extend_schema(request=ApiTokenSerializer, responses={201: NewApiTokenSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ApiTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = api_token_create(user=request.user, **serializer.validated_data)
        token.key = key
        return Response(NewApiTokenSerializer(token).data, status=status.HTTP_201_CREATED, headers=NO_STORE)

    def perform_destroy(self, instance) -> None:
        api_token_revoke(token=instance)


class LoginLocked(Throttled):
    """429 for a locked account or address (``accounts.lockout``), whether the password was right or not."""

    default_code = "login_locked"


class PasswordTokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})
    name = serializers.CharField(max_length=80)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)
    otp = serializers.CharField(
        required=False, max_length=20, help_text="the code of the user's authenticator, if they enrolled one"
    )


class PasswordTokenView(ApiView, APIView):
    """Trade a login name and password for a new token. Failed attempts count towards the lockouts of the
    account and the address (``accounts.lockout``); a locked one is answered 429."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []

    def get_authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'  # a wrong password is 401, as for a wrong token, not 403

    @extend_schema(request=PasswordTokenRequestSerializer, responses={201: NewApiTokenSerializer})
    def post(self, request):
        given = PasswordTokenRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        user = authenticate(
            request, username=given.validated_data["username"], password=given.validated_data["password"]
        )
        if lockout := getattr(request, "login_lockout", None):
            wait = (lockout.until - timezone.now()).total_seconds()
            raise LoginLocked(wait=max(wait, 1), detail=locked_message())
        if user is None:
            raise AuthenticationFailed(_("The login name or password is wrong."))
        _check_sign_in_steps(user, given.validated_data.get("otp", ""))
        with acting(replace(current_actor(), user=user, name=user.get_username())):
            login_succeeded_record(user=user, note="API 凭密码签发令牌")
            token, key = api_token_create(
                user=user,
                name=given.validated_data["name"],
                expires_at=given.validated_data.get("expires_at"),
            )
        token.key = key
        return Response(NewApiTokenSerializer(token).data, status=status.HTTP_201_CREATED, headers=NO_STORE)


def _check_sign_in_steps(user, code: str) -> None:
    """A token is no way around the web's steps of signing in: an account with an authenticator gives its
    code; one that must first change its password or enrol an authenticator does that on the web."""
    if has_second_factor(user):
        if not code or otp_verify(user=user, code=code) is None:
            raise AuthenticationFailed(_("Give the code of your authenticator app (otp)."))
    elif requires_second_factor(user):
        raise AuthenticationFailed(_("Turn on two-step verification on the web first."))
    if password_change_reason(user):
        raise AuthenticationFailed(_("Change your password on the web first."))
