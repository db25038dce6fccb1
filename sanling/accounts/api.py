"""API tokens over the API: list, create and revoke one's own; trade a password for a token."""

from dataclasses import replace

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.response import Response
from rest_framework.views import APIView

from sanling.api.throttles import LoginThrottle, TokenThrottle
from sanling.api.views import ApiView
from sanling.audit.context import acting, current_actor

from .models import ApiToken
from .services import api_token_create, api_token_revoke, break_glass_login_audit

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


class PasswordTokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})
    name = serializers.CharField(max_length=80)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)


class PasswordTokenView(ApiView, APIView):
    """Trade a login name and password for a new token (rate-limited per client address)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginThrottle]

    @extend_schema(request=PasswordTokenRequestSerializer, responses={201: NewApiTokenSerializer})
    def post(self, request):
        given = PasswordTokenRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        user = authenticate(
            request, username=given.validated_data["username"], password=given.validated_data["password"]
        )
        if user is None:
            raise AuthenticationFailed(_("The login name or password is wrong."))
        with acting(replace(current_actor(), user=user, name=user.get_username())):
            break_glass_login_audit(user=user)  # a superuser trading its password for a key is a use of it
            token, key = api_token_create(
                user=user,
                name=given.validated_data["name"],
                expires_at=given.validated_data.get("expires_at"),
            )
        token.key = key
        return Response(NewApiTokenSerializer(token).data, status=status.HTTP_201_CREATED, headers=NO_STORE)
