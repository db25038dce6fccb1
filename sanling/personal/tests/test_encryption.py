import base64
import datetime
import io
import os
import stat

import pytest
from django.core.checks import run_checks
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection

from sanling.core.bulk import fast_insert
from sanling.personal import crypto
from sanling.personal.fields import blind_q
from sanling.personal.management.commands.personal import Command
from sanling.subjects.models import Subject
from sanling.subjects.services import subject_update

from .conftest import NAME, PHONE


def stored(column: str, code: str = "U1") -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM subjects_subject WHERE code = %s", [code])  # noqa: S608
        return cursor.fetchone()[0]


def test_contact_names_and_phones_are_not_stored_in_clear(contact):
    assert PHONE not in stored("contact_phone") and NAME not in stored("contact_name")
    assert stored("contact_phone").startswith("A.")


def test_an_encrypted_value_reads_back_as_it_was_written(contact):
    assert Subject.objects.values_list("contact_name", "contact_phone").get(code="U1") == (NAME, PHONE)


def test_the_same_value_encrypts_differently_each_time():
    assert crypto.encrypt(PHONE, context="x") != crypto.encrypt(PHONE, context="x")


def test_a_changed_ciphertext_is_refused(contact):
    sealed = stored("contact_phone")
    prefix, body = sealed.rsplit(".", 1)
    raw = bytearray(base64.b64decode(body))
    raw[-1] ^= 1
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE subjects_subject SET contact_phone = %s WHERE code = 'U1'",
            [f"{prefix}.{base64.b64encode(bytes(raw)).decode()}"],
        )
    with pytest.raises(crypto.DecryptionError):
        Subject.objects.get(code="U1")


def test_a_ciphertext_copied_into_another_field_is_refused(contact):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE subjects_subject SET contact_name = contact_phone WHERE code = 'U1'")
    with pytest.raises(crypto.DecryptionError):
        Subject.objects.get(code="U1")


def test_a_value_is_refused_under_a_key_that_did_not_encrypt_it(contact, settings):
    settings.SANLING_DATA_KEY = crypto.new_key_text()
    with pytest.raises(crypto.DecryptionError):
        Subject.objects.get(code="U1")


def test_after_a_rotation_old_values_still_read_and_new_ones_use_the_new_key(personas, settings):
    old, new = crypto.new_key_text(), crypto.new_key_text()
    settings.SANLING_DATA_KEY = old
    subject_update(subject=personas["school"], version=None, contact_phone=PHONE)
    settings.SANLING_DATA_KEY = f"{new},{old}"
    assert Subject.objects.get(code="U1").contact_phone == PHONE
    sealed = crypto.encrypt(PHONE, context="subjects.subject.contact_phone")
    assert crypto.key_id_of(sealed) == crypto.key_id(base64.b64decode(new))


def test_filtering_an_encrypted_column_by_value_is_an_error(contact):
    with pytest.raises(FieldError):
        list(Subject.objects.filter(contact_phone=PHONE))


def test_a_local_install_creates_its_key_file_readable_by_its_owner_only(tmp_path, settings):
    settings.SANLING_DATA_KEY = ""
    settings.SANLING_DATA_KEY_FILE = tmp_path / "data_key"
    crypto.encrypt(PHONE, context="x")
    assert stat.S_IMODE(os.stat(tmp_path / "data_key").st_mode) == 0o600


def test_production_without_a_data_key_fails_the_system_check(tmp_path, settings):
    settings.PRODUCTION = True
    settings.SANLING_DATA_KEY = ""
    settings.SANLING_DATA_KEY_FILE = tmp_path / "absent"
    errors = [message.id for message in run_checks(tags=["security"])]
    assert "sanling.personal.E001" in errors
    assert not (tmp_path / "absent").exists()


def test_a_rotation_re_encrypts_every_value_under_the_new_key_and_reindexes_it(personas, settings):
    old, new = crypto.new_key_text(), crypto.new_key_text()
    settings.SANLING_DATA_KEY = old
    subject_update(subject=personas["school"], version=None, contact_name=NAME, contact_phone=PHONE)
    settings.SANLING_DATA_KEY = f"{new},{old}"
    call_command("personal", "rotate", stdout=io.StringIO())
    settings.SANLING_DATA_KEY = new  # the old key can go
    assert crypto.key_id_of(stored("contact_phone")) == crypto.key_id(base64.b64decode(new))
    found = Subject.objects.filter(blind_q(Subject, "contact_phone", PHONE))
    assert list(found.values_list("contact_name", flat=True)) == [NAME]


def test_a_bulk_insert_that_bypasses_django_still_encrypts_and_indexes(county):
    fast_insert(
        Subject,
        [
            "code",
            "name",
            "kind",
            "category",
            "region",
            "uscc",
            "address",
            "contact_name",
            "contact_phone",
            "joined_on",
            "version",
        ],
        [
            (
                "V7",
                "金牛社区",
                "community",
                "",
                county["jinniu"].pk,
                "",
                "",
                NAME,
                PHONE,
                datetime.date(2025, 1, 1),
                1,
            )
        ],
    )
    assert PHONE not in stored("contact_phone", "V7") and NAME not in stored("contact_name", "V7")
    found = Subject.objects.filter(blind_q(Subject, "contact_phone", PHONE))
    assert list(found.values_list("code", "contact_name")) == [("V7", NAME)]


def test_a_new_key_can_be_made_on_a_production_machine_that_has_none_yet(tmp_path, settings):
    settings.PRODUCTION = True
    settings.SANLING_DATA_KEY = ""
    settings.SANLING_DATA_KEY_FILE = tmp_path / "absent"
    out = io.StringIO()
    Command(stdout=out).run_from_argv(
        ["sanling", "personal", "newkey"]
    )  # as the console runs it, checks and all
    assert len(base64.b64decode(out.getvalue().strip())) == 32
