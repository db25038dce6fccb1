"""The bundle format's enumerations are the models' ``TextChoices``: a value added to a model must be
added to the file format too, or an export would write a value the importer refuses."""

import pytest
from django.core.exceptions import FieldDoesNotExist

from sanling.departments.models import Department
from sanling.disputes.models import Dispute
from sanling.events.models import Event
from sanling.exchange.schema import BOOLEANS, FILES
from sanling.grids.models import Post, Sector
from sanling.hazards.models import Hazard
from sanling.keypeople.models import KeyPerson
from sanling.organisations.models import Organisation
from sanling.petitions.models import Petition
from sanling.regions.models import Region
from sanling.subjects.models import Subject
from sanling.visits.models import HouseholdCount, HouseholdVisit

MODEL_OF_FILE = {
    "regions": Region,
    "departments": Department,
    "subjects": Subject,
    "events": Event,
    "organisations": Organisation,
    "disputes": Dispute,
    "petitions": Petition,
    "sectors": Sector,
    "posts": Post,
    "hazards": Hazard,
    "households": HouseholdCount,
    "visits": HouseholdVisit,
    "key_people": KeyPerson,
}


def enumerated_columns():
    for spec in FILES:
        model = MODEL_OF_FILE[spec.key]
        for column in spec.columns:
            if column.choices is not None and column.choices is not BOOLEANS:
                yield pytest.param(model, column, id=f"{spec.key}.{column.key}")


@pytest.mark.parametrize(("model", "column"), list(enumerated_columns()))
def test_a_bundle_column_lists_exactly_the_models_choices_in_their_order(model, column):
    field = model._meta.get_field(column.key)
    # An empty choice (a claim not yet judged) is an empty cell.
    assert list(column.choices) == [value for value, _label in field.choices if value]


@pytest.mark.parametrize("spec", FILES, ids=lambda spec: spec.key)
def test_every_enumerated_model_field_in_a_bundle_file_has_its_choices_in_the_schema(spec):
    model = MODEL_OF_FILE[spec.key]
    for column in spec.columns:
        try:
            field = model._meta.get_field(column.key)
        except FieldDoesNotExist:  # a column that is not a field of its own (subject_code, parent_code…)
            continue
        if field.choices and field.get_internal_type() != "BooleanField":
            assert column.choices is not None, f"{spec.key}.{column.key} has no choices in the schema"
