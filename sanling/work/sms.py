"""Text messages behind one small interface, so a county plugs in its provider without touching the reminders.

``SANLING_SMS_BACKEND`` names the class. ``LogSmsBackend`` (the default) sends nothing and logs the message
with the number masked; ``HttpSmsBackend`` is shaped like the Chinese SMS gateways (阿里云, 腾讯云 and the
operators' own): one POST of JSON ``{"phone", "template", "params"}`` to ``SANLING_SMS_URL`` with the key in
a header, answered 2xx on success. Providers want an approved template (模板) and its parameters rather than
free text, so a reminder sends ``SANLING_SMS_TEMPLATE`` with the case's ref, title and due date.
"""

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

from sanling.personal.masking import mask_phone

logger = logging.getLogger("sanling.sms")


class SmsError(Exception):
    """The message could not be handed to the provider."""


@dataclass(frozen=True)
class SmsMessage:
    phone: str
    template: str
    params: dict = field(default_factory=dict)


class SmsBackend:
    """Send one message; raise ``SmsError`` when it did not go."""

    def send(self, message: SmsMessage) -> None:  # pragma: no cover - the interface
        raise NotImplementedError


class LogSmsBackend(SmsBackend):
    """Sends nothing: writes one log line per message, the number masked (the log is not the place for
    personal data)."""

    def send(self, message: SmsMessage) -> None:
        logger.info(
            "sms to %s template %s params %s",
            mask_phone(message.phone),
            message.template,
            json.dumps(message.params, ensure_ascii=False, sort_keys=True),
        )


class HttpSmsBackend(SmsBackend):
    """POST ``{"phone", "template", "params"}`` as JSON to ``SANLING_SMS_URL`` with the header
    ``SANLING_SMS_KEY_HEADER: SANLING_SMS_KEY``; any 2xx answer is success."""

    def __init__(
        self, url: str | None = None, key: str | None = None, header: str | None = None, timeout=None
    ):
        self.url = url or settings.SANLING_SMS_URL
        self.key = key if key is not None else settings.SANLING_SMS_KEY
        self.header = header or settings.SANLING_SMS_KEY_HEADER
        self.timeout = timeout or settings.SANLING_SMS_TIMEOUT_SECONDS
        if not self.url.startswith(("https://", "http://")):
            raise SmsError("SANLING_SMS_URL must be an http(s) address")

    def send(self, message: SmsMessage) -> None:
        body = json.dumps(
            {"phone": message.phone, "template": message.template, "params": message.params},
            ensure_ascii=False,
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", self.header: self.key},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                if not 200 <= response.status < 300:
                    raise SmsError(f"the SMS gateway answered {response.status}")
        except urllib.error.HTTPError as error:
            raise SmsError(f"the SMS gateway answered {error.code}") from None
        except (urllib.error.URLError, OSError) as error:
            raise SmsError(f"the SMS gateway cannot be reached: {error}") from None


def sms_backend() -> SmsBackend:
    """The configured backend (``SANLING_SMS_BACKEND``)."""
    return import_string(settings.SANLING_SMS_BACKEND)()
