"""Content-Security-Policy: the browser runs only our own static files and the few inline blocks that carry
this request's nonce, so markup that slips into a page (a region named ``<img onerror=…>``) runs nothing.

Thirty lines rather than django-csp: the policy is one fixed string, with no per-view variations, reports or
template tags to manage. Django 6.0 ships the same thing (``SECURE_CSP``, ``csp_nonce`` in the context);
the names here follow it so the upgrade replaces this module without touching a template.
"""

import secrets

from django.conf import settings

NONCE = "'nonce'"  # in SECURE_CSP, stands for this request's nonce


def policy_header(policy: dict[str, list[str]], nonce: str) -> str:
    return "; ".join(
        " ".join([directive, *(f"'nonce-{nonce}'" if source == NONCE else source for source in sources)])
        for directive, sources in policy.items()
    )


class ContentSecurityPolicyMiddleware:
    """Give each request a fresh nonce (``request.csp_nonce``, 128 random bits) and every response the
    policy of ``SECURE_CSP`` (or ``SECURE_CSP_REPORT_ONLY``, which only reports), unless a view set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        for header, policy in (
            ("Content-Security-Policy", settings.SECURE_CSP),
            ("Content-Security-Policy-Report-Only", settings.SECURE_CSP_REPORT_ONLY),
        ):
            if policy:
                response.headers.setdefault(header, policy_header(policy, request.csp_nonce))
        return response


def csp(request) -> dict[str, str]:
    """Context processor: ``{{ csp_nonce }}`` for the attribute of an inline <script> or <style>."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
