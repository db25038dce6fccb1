"""Loading the demo county through the same import path a real county's bundle takes."""

import csv
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from sanling.exchange.importer import ImportResult, bundle_import
from sanling.exchange.schema import DEPARTMENTS, DISPUTES, EVENTS, REGIONS, SUBJECTS
from sanling.regions.services import region_boundaries_load

from .county import DemoCounty, build_demo_county

DEMO_PASSWORD = "sanling-demo"
DEMO_USERS = [
    # (username, display name, role description); roles and scopes arrive with the web app.
    ("admin", "演示管理员", "系统管理员（全部权限）"),
]


def demo_bundle_write(*, folder: Path, county: DemoCounty) -> Path:
    """Write the demo county as a data exchange bundle plus its GeoJSON map."""
    folder.mkdir(parents=True, exist_ok=True)
    for spec, rows in (
        (REGIONS, county.regions),
        (DEPARTMENTS, county.departments),
        (SUBJECTS, county.subjects),
        (EVENTS, county.events),
        (DISPUTES, county.disputes),
    ):
        with (folder / spec.filename).open("w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow([column.key for column in spec.columns])
            writer.writerows(rows)
    (folder / "map.geojson").write_text(json.dumps(county.geojson, ensure_ascii=False), encoding="utf-8")
    return folder


@transaction.atomic
def demo_load(*, folder: Path, seed: int = 2022, year: int | None = None) -> ImportResult:
    """Build the demo county with a year of events (the last full year by default), import it as a
    bundle and load its map and users."""
    county = build_demo_county(seed, year or timezone.localdate().year - 1)
    demo_bundle_write(folder=folder, county=county)
    result = bundle_import(folder)
    region_boundaries_load(feature_collection=county.geojson)
    demo_users_create()
    return result


def demo_users_create() -> list[tuple[str, str, str]]:
    User = get_user_model()
    for username, name, _role in DEMO_USERS:
        user, _created = User.objects.get_or_create(username=username, defaults={"first_name": name})
        user.is_staff = user.is_superuser = True
        user.set_password(DEMO_PASSWORD)
        user.save()
    return DEMO_USERS
