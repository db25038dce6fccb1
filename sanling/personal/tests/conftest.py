import pytest

from sanling.exchange.tests.conftest import bundle  # noqa: F401 (the bundle fixture, for the import tests)
from sanling.subjects.services import subject_update

PHONE = "13812345678"
NAME = "欧阳春花"


@pytest.fixture
def contact(personas):
    """The school of 沙北 (U1) with a contact person and phone, written through the subject service."""
    return subject_update(subject=personas["school"], version=None, contact_name=NAME, contact_phone=PHONE)
