"""Encrypt the contact names and phones stored before they were encrypted, and index the phones."""

from django.db import migrations

from sanling.core.validators import normalize_phone
from sanling.personal.migration_ops import encrypt_existing


class Migration(migrations.Migration):
    dependencies = [("subjects", "0005_encrypted_contact_fields")]

    operations = [
        encrypt_existing(
            "subjects",
            "Subject",
            ["contact_name", "contact_phone"],
            indexes={"contact_phone": "contact_phone_index"},
            normalizers={"contact_phone": normalize_phone},
        )
    ]
