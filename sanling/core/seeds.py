"""The rows the migrations seed (dictionary lists, deadline presets, checklists, the policy's version 1, the
audit chain's head …), written again after a flush.

Django's ``flush`` empties every table but leaves the migrations recorded as applied, so what the data
migrations wrote is gone for good: ``demo --reset`` then stopped on the first dispute category it looked up.
Every seeding migration names its forward function ``seed`` (or one of the older names below) and writes with
``get_or_create``, so running them again in migration order restores exactly what a fresh database has."""

import functools

from django.apps import apps as current_apps
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

SEED_FUNCTIONS = frozenset({"seed", "create_version_1", "create_head"})


@functools.cache  # the migrations on disk do not change while the process runs
def seed_functions() -> list:
    """The forward functions of the seeding migrations, in the order the migrations run."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    plan = []
    for leaf in loader.graph.leaf_nodes():
        for node in loader.graph.forwards_plan(leaf):
            if node not in plan:
                plan.append(node)
    functions = []
    for node in plan:
        migration = loader.graph.nodes[node]
        for operation in migration.operations:
            if isinstance(operation, RunPython) and operation.code.__name__ in SEED_FUNCTIONS:
                functions.append(operation.code)
    return functions


def reseed() -> int:
    """Write the seeded rows that are missing; returns how many seeding functions ran."""
    functions = seed_functions()
    with transaction.atomic():
        for function in functions:
            function(current_apps, None)  # seeds write rows only: no schema editor needed
    return len(functions)
