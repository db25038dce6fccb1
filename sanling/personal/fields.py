"""The field types of personal data: ``EncryptedCharField`` (encrypted at rest, masked when shown) and
``BlindIndexField`` (a keyed digest of another field's normalised value, for search and comparison).

Encryption happens where Django turns a value into a column value (``get_db_prep_save``) and decryption
where it reads one (``from_db_value``), so ``save``, ``bulk_create``, ``bulk_update``, ``update`` and
``values()`` all see plaintext in Python and ciphertext in the database. A blind index is derived from its
source field whenever it is read, so it can never disagree with the value saved beside it (``bulk_update``
must name it among its fields, which ``with_indexes`` does). Filtering an encrypted column by value cannot
work (every ciphertext differs) and raises; search the blind index (``blind_q``) instead.
"""

from collections.abc import Callable, Iterable, Mapping

from django.core.exceptions import FieldError
from django.db import models
from django.db.models import Q

from . import crypto
from .masking import mask_text

# model_name -> field name -> field, for the models of the project (not the migrations' historical ones):
# what the audit trail, the serializers and the exports mask.
PERSONAL_FIELDS: dict[str, dict[str, "EncryptedCharField"]] = {}
BLIND_INDEXES: dict[str, dict[str, "BlindIndexField"]] = {}  # model_name -> source field -> its index


def _identity(value: str) -> str:
    return value


class EncryptedCharField(models.CharField):
    """A short text kept encrypted (AES-256-GCM) in a text column. ``max_length`` limits the plaintext;
    ``mask`` shows it to someone who has not unmasked it (``masking.mask_phone``, ``mask_name``…)."""

    def __init__(self, *args, mask: Callable[[str], str] = mask_text, **kwargs):
        self.mask = mask
        super().__init__(*args, **kwargs)

    def get_internal_type(self) -> str:
        return "TextField"  # a ciphertext is longer than its plaintext

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        if cls.__module__ != "__fake__" and not cls._meta.abstract:  # not a migration's historical model
            PERSONAL_FIELDS.setdefault(cls._meta.model_name, {})[name] = self

    @property
    def context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return crypto.decrypt(value, context=self.context)

    def get_db_prep_save(self, value, connection):
        if hasattr(value, "as_sql"):  # an expression (bulk_update's CASE): its values come here one by one
            return value
        value = self.get_prep_value(value)
        if not value:
            return value  # empty stays empty: "no contact" is not a secret worth a ciphertext
        return crypto.encrypt(value, context=self.context)

    def get_db_prep_value(self, value, connection, prepared=False):
        # Only lookups come here (saves go through get_db_prep_save): an empty value can be matched, any
        # other cannot, since each ciphertext has its own nonce.
        if value not in ("", None) and not hasattr(value, "as_sql"):
            raise FieldError(f"{self.context} is encrypted: search its blind index (personal.fields.blind_q)")
        return value


class _DerivedIndex:
    """The descriptor of a blind index: reading computes it from the source field; writing (Django loading
    a row) keeps the value only so Django counts the field as loaded."""

    def __init__(self, field: "BlindIndexField"):
        self.field = field

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = getattr(instance, self.field.source)
        # Django reads the attribute several times per write (bulk_create: three): compute it once per value.
        cached = instance.__dict__.get(self.cache_name)
        if cached is not None and cached[0] == value:
            return cached[1]
        index = self.field.index_of(value)
        instance.__dict__[self.cache_name] = (value, index)
        return index

    @property
    def cache_name(self) -> str:
        return f"_{self.field.attname}_of"

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class BlindIndexField(models.CharField):
    """HMAC-SHA256 (a key derived from the data key) of ``normalize(<source>)``: equal values have equal
    indexes, and without the key an index tells nothing about a value, even a phone number."""

    def __init__(self, *args, source: str = "", normalize: Callable[[str], str] = _identity, **kwargs):
        self.source = source
        self.normalize = normalize
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        setattr(cls, self.attname, _DerivedIndex(self))
        if cls.__module__ != "__fake__" and not cls._meta.abstract:
            BLIND_INDEXES.setdefault(cls._meta.model_name, {})[self.source] = self

    @property
    def context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.source}"

    def index_of(self, value: str | None) -> str:
        if not value:
            return ""
        return crypto.blind_index(self.normalize(value), context=self.context)

    def indexes_of(self, value: str) -> list[str]:
        """The index of ``value`` under every configured key (a rotation may be half done)."""
        normalized = self.normalize(value.strip())
        return crypto.blind_indexes(normalized, context=self.context) if normalized else []


def blind_q(model: type[models.Model], source: str, value: str) -> Q:
    """Rows whose ``source`` field equals ``value`` once both are normalised, found through its index."""
    index = BLIND_INDEXES[model._meta.model_name][source]
    found = index.indexes_of(value)
    return Q(**{f"{index.name}__in": found}) if found else Q(pk__in=[])


def with_indexes(model: type[models.Model], fields: Iterable[str]) -> list[str]:
    """``fields`` and the blind indexes of those among them that have one: what ``bulk_update`` must
    write so the indexes follow the values."""
    fields = list(fields)
    indexes = BLIND_INDEXES.get(model._meta.model_name, {})
    return fields + [indexes[name].name for name in fields if name in indexes]


def personal_field(model_name: str, name: str) -> "EncryptedCharField | None":
    return PERSONAL_FIELDS.get(model_name, {}).get(name)


def mask_value(model_name: str, name: str, value: str) -> str:
    """``value`` of the personal field ``name`` as everyone sees it (masked); other fields unchanged."""
    field = personal_field(model_name, name)
    return field.mask(value) if field is not None and isinstance(value, str) and value else value


def exported_fields(model_name: str, *, clear: bool) -> tuple[str, ...]:
    """How an export's audit entry names the personal fields of ``model_name`` it carried: by name when in
    clear, ``<name>_masked`` when as their masks."""
    return tuple(name if clear else f"{name}_masked" for name in PERSONAL_FIELDS[model_name])


def masked(instance: models.Model, name: str) -> str:
    """The masked value of ``instance``'s personal field ``name``."""
    return mask_value(instance._meta.model_name, name, getattr(instance, name) or "")


def masked_data(model_name: str, data: Mapping) -> dict:
    """``data`` (field -> value) with every personal field masked: for API answers and exports."""
    return {name: mask_value(model_name, name, value) for name, value in data.items()}


def protected(model_name: str, values: Mapping) -> dict:
    """``values`` as the audit trail keeps them: each personal field as its mask and a keyed fingerprint
    (``{"masked": "138****1234", "digest": "3f9a1c2e"}``), so a changed value shows as changed and no
    value is readable. Values already protected are kept."""
    fields = PERSONAL_FIELDS.get(model_name)
    if not fields or not values:
        return dict(values)
    out = dict(values)
    for name, field in fields.items():
        value = out.get(name)
        if isinstance(value, str) and value:
            out[name] = {
                "masked": field.mask(value),
                "digest": crypto.fingerprint(value, context=field.context),
            }
    return out


def sealed_rows(model: type[models.Model], fields: list[str], rows: Iterable) -> tuple[list[str], Iterable]:
    """For writers that bypass Django's field conversion (``core.bulk.fast_insert``): ``fields`` with the
    blind indexes of any personal field among them, and ``rows`` with those fields encrypted and their
    indexes added. A model without personal fields among ``fields`` passes through untouched."""
    model_name = model._meta.model_name
    personal = PERSONAL_FIELDS.get(model_name, {})
    positions = [(position, personal[name]) for position, name in enumerate(fields) if name in personal]
    if not positions:
        return list(fields), rows
    index_fields = BLIND_INDEXES.get(model_name, {})
    added = [
        (fields.index(source), index)
        for source, index in index_fields.items()
        if source in fields and index.name not in fields
    ]

    def seal(row) -> tuple:
        values = list(row)
        extra = [index.index_of(values[position]) for position, index in added]
        for position, field in positions:
            value = values[position]
            values[position] = crypto.encrypt(value, context=field.context) if value else value
        return (*values, *extra)

    return [*fields, *(index.name for _position, index in added)], (seal(row) for row in rows)


def personal_columns(model: type[models.Model], prefix: str = "") -> list[str]:
    """The encrypted fields of ``model`` and their indexes, as ``prefix``-ed paths for ``defer()``: a page
    that lists rows without showing personal data reads no ciphertext and decrypts nothing."""
    model_name = model._meta.model_name
    names = [
        *PERSONAL_FIELDS.get(model_name, {}),
        *(i.name for i in BLIND_INDEXES.get(model_name, {}).values()),
    ]
    return [f"{prefix}{name}" for name in names]
