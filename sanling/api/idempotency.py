"""Idempotent POSTs: a retry with the same ``Idempotency-Key`` and body gets the first answer back and
creates nothing; the same key with a different body is refused (422).

The key is claimed, the record created and the answer stored in one transaction. A concurrent retry
waits on the claim's unique index (PostgreSQL) or on the write lock (SQLite) and then replays the
answer. Failed requests store nothing, so they can be retried with the same key.
"""

import datetime
import hashlib
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response

from sanling.audit.services import canonical_json

from .errors import IdempotencyKeyReused
from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
KEPT_FOR = datetime.timedelta(days=1)


def _fingerprint(request) -> str:
    body = canonical_json(request.data)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _replay(record: IdempotencyRecord, fingerprint: str) -> Response:
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    headers = {"Idempotent-Replayed": "true"}
    if record.location:
        headers["Location"] = record.location
    return Response(record.body, status=record.status_code, headers=headers)


def idempotent(request, handler: Callable[[], Response]) -> Response:
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return handler()
    if len(key) > 255:
        raise exceptions.ValidationError({HEADER: [_("An Idempotency-Key has at most 255 characters.")]})
    fingerprint = _fingerprint(request)
    mine = IdempotencyRecord.objects.filter(user=request.user, key=key)
    with transaction.atomic():
        record = mine.first()
        if record is not None:
            return _replay(record, fingerprint)
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(user=request.user, key=key, fingerprint=fingerprint)
        except IntegrityError:
            return _replay(mine.get(), fingerprint)  # a concurrent request with this key won the claim
        response = handler()
        record.status_code, record.body = response.status_code, response.data
        record.location = response.headers.get("Location", "")
        record.save(update_fields=["status_code", "body", "location"])
        IdempotencyRecord.objects.filter(user=request.user, created_at__lt=timezone.now() - KEPT_FOR).delete()
    return response
