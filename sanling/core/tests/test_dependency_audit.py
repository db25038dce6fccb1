"""The dependency check reads an offline OSV export the way OSV defines affected versions.

等保 asks that known vulnerabilities in components be found; a county's CI often reaches no advisory
service, so ``scripts/audit_deps.py`` also works from an OSV export file (SANLING_VULN_DB).
"""

import importlib.util
import json
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
_spec = importlib.util.spec_from_file_location("audit_deps", ROOT / "scripts" / "audit_deps.py")
audit_deps = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit_deps)


def _advisory(identifier: str, package: str, events: list[dict], versions=(), **extra) -> dict:
    return {
        "id": identifier,
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": package},
                "ranges": [{"type": "ECOSYSTEM", "events": events}],
                "versions": list(versions),
            }
        ],
        **extra,
    }


def test_a_pin_between_introduced_and_fixed_is_vulnerable():
    record = _advisory("GHSA-1", "Django", [{"introduced": "5.0"}, {"fixed": "5.2.20"}])
    assert audit_deps.vulnerable({"django": "5.2.19"}, [record]) == [("django", "5.2.19", "GHSA-1")]


def test_a_pin_at_the_fixed_version_is_not_vulnerable():
    record = _advisory("GHSA-1", "django", [{"introduced": "0"}, {"fixed": "5.2.19"}])
    assert audit_deps.vulnerable({"django": "5.2.19"}, [record]) == []


def test_last_affected_includes_that_version_and_nothing_later():
    record = _advisory("PYSEC-2", "waitress", [{"introduced": "0"}, {"last_affected": "3.0.2"}])
    assert audit_deps.vulnerable({"waitress": "3.0.2"}, [record]) == [("waitress", "3.0.2", "PYSEC-2")]
    assert audit_deps.vulnerable({"waitress": "3.0.3"}, [record]) == []


def test_an_explicitly_listed_version_is_vulnerable_without_ranges():
    record = _advisory("PYSEC-3", "orjson", [], versions=["3.13.0"])
    assert audit_deps.vulnerable({"orjson": "3.13.0"}, [record]) == [("orjson", "3.13.0", "PYSEC-3")]


def test_withdrawn_advisories_and_other_ecosystems_are_ignored():
    withdrawn = _advisory("GHSA-4", "django", [{"introduced": "0"}], withdrawn="2026-01-01T00:00:00Z")
    npm = _advisory("GHSA-5", "django", [{"introduced": "0"}])
    npm["affected"][0]["package"]["ecosystem"] = "npm"
    assert audit_deps.vulnerable({"django": "5.2.19"}, [withdrawn, npm]) == []


def test_names_compare_in_their_canonical_spelling():
    record = _advisory("GHSA-6", "Typing_Extensions", [{"introduced": "0"}])
    assert audit_deps.vulnerable({"typing-extensions": "4.16.0"}, [record])


def test_the_export_is_read_from_a_zip(tmp_path):
    export = tmp_path / "all.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("GHSA-7.json", json.dumps(_advisory("GHSA-7", "huey", [{"introduced": "0"}])))
    assert [record["id"] for record in audit_deps.osv_records(export)] == ["GHSA-7"]


def test_every_line_of_requirements_txt_is_an_exact_pin():
    pins = audit_deps.pinned(ROOT / "requirements.txt")
    assert pins["django"].startswith("5.2.")
    lines = [line for line in (ROOT / "requirements.txt").read_text().splitlines() if line.strip()]
    assert len(pins) == len([line for line in lines if not line.startswith("#")])
