"""Personal data (PIPL): encrypted fields, blind indexes, masking rules and the one unmask service.

The layer later casework (petitioners) and key populations reuse: declare a field
``EncryptedCharField(mask=mask_phone)`` (and a ``BlindIndexField(source=...)`` beside it where it must be
searched or compared), show it with ``masked(instance, name)``, and reveal it only through
``services.personal_unmask``, which asks ``access.may_unmask`` and audits the reason.
"""
