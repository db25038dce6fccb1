"""The language of a request: Chinese, the product's language, unless the user chose another."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
