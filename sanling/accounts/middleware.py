"""The language of a request: Chinese, the product's language, unless the user chose another."""

import time
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _

from .policy import CHANGE_PASSWORD, ENROL, VERIFY, session_steps


class ChosenLanguageMiddleware:
    """Django's LocaleMiddleware without its guess from the browser's Accept-Language: an English browser
    on a county office's computer is no choice of the user's, and half-English pages under ``lang="zh-hans"``
    helped nobody. Only Django's language cookie (``LANGUAGE_COOKIE_NAME``, what ``set_language`` writes)
    changes the language; anything else gets ``LANGUAGE_CODE``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = settings.LANGUAGE_CODE
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen:
            try:
                language = translation.get_supported_language_variant(chosen)
            except LookupError:
                pass
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        patch_vary_headers(response, ("Cookie",))
        return response


# --- Sessions and the steps of signing in (issue 14: 身份鉴别, 剩余信息保护) ---

SESSION_STARTED_KEY = "sanling_started"  # when the session logged in (epoch seconds)
SESSION_SEEN_KEY = "sanling_seen"  # the last request of the session, to SESSION_TOUCH_SECONDS
SESSION_TOUCH_SECONDS = 60  # a request writes the session at most once a minute for the idle clock


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _session_user(request):
    """The user of the request's session (API token requests have none here: DRF authenticates them in
    the view, after every middleware)."""
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class SessionLimitsMiddleware:
    """Ends a session idle for longer than ``SANLING_SESSION_IDLE_MINUTES`` or older than
    ``SANLING_SESSION_MAX_HOURS`` (the session cookie's age): the user logs in again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _session_user(request) is not None:
            now = int(time.time())
            session = request.session
            started = session.setdefault(SESSION_STARTED_KEY, now)
            seen = session.get(SESSION_SEEN_KEY, now)
            if now - seen > settings.SESSION_IDLE_SECONDS or now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
                return _to_login(request)
            if SESSION_SEEN_KEY not in session or now - seen >= SESSION_TOUCH_SECONDS:
                session[SESSION_SEEN_KEY] = now
        return self.get_response(request)


def _to_login(request):
    if _is_api(request):
        return JsonResponse({"detail": _("Your session has ended. Log in again.")}, status=401)
    return redirect_to_login(request.get_full_path())


class SecurityGateMiddleware:
    """Keeps a session that still owes a step of signing in (``policy.session_steps``: the code of its
    authenticator, a new password, enrolling an authenticator) on the page of that step. Only the step's
    own pages, logging out and static files stay open; the API answers 403."""

    STEP_URLS = {
        VERIFY: "accounts:otp_verify",
        CHANGE_PASSWORD: "accounts:password_change",
        ENROL: "accounts:otp_enrol",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _session_user(request) is not None:
            steps = session_steps(request)
            if steps:
                step_url = reverse(self.STEP_URLS[steps[0]])
                open_paths = {step_url, reverse("accounts:logout"), reverse("accounts:password_done")}
                if request.path not in open_paths and not request.path.startswith(settings.STATIC_URL):
                    if _is_api(request):
                        return JsonResponse({"detail": _("Finish signing in on the web first.")}, status=403)
                    return redirect(f"{step_url}?next={_safe_next(request)}")
        return self.get_response(request)


def _safe_next(request) -> str:
    return quote(request.get_full_path() if request.method == "GET" else "/", safe="/")


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every answer to a signed-in user and every API answer: they may hold
    personal data, which must not stay in a browser's or a proxy's cache (剩余信息保护). Static files are
    served before this middleware and stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # DRF puts a token's user here too, once it authenticated
        if _is_api(request) or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response
