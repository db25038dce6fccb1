"""Encrypt the account phones stored before they were encrypted."""

from django.db import migrations

from sanling.personal.migration_ops import encrypt_existing


class Migration(migrations.Migration):
    dependencies = [("accounts", "0007_encrypted_profile_phone")]

    operations = [encrypt_existing("accounts", "Profile", ["phone"])]
