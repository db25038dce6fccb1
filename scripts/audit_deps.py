"""Check the pinned dependencies (requirements.txt) against a vulnerability database.

Three ways, in this order:
  SANLING_VULN_DB=PATH   offline: an OSV export for PyPI (the ``all.zip`` published at
                         https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip, or a folder of its
                         JSON files), for machines that reach no vulnerability service
  pypi.org reachable     pip-audit against PyPI's advisory data
  neither                reported as skipped (exit status 3), never as passed

Exit status: 0 no known vulnerability, 1 vulnerable pins found, 2 the check itself failed, 3 skipped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = 3
# pip-audit asks PyPI for each pinned release's advisories at this kind of address; a mirror or proxy that
# serves only the package index answers 404 here, and the check is then skipped rather than half done.
PROBE_URL = "https://pypi.org/pypi/pip-audit/2.10.1/json"


def pinned(requirements: Path) -> dict[str, str]:
    """``name==version`` lines of a fully pinned requirements file, by canonical name."""
    pins = {}
    for line in requirements.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[canonicalize_name(name.split("[")[0])] = version.split(";")[0].strip()
    return pins


def osv_records(path: Path) -> Iterator[dict]:
    """Every record of an OSV export: a zip of JSON files or a folder of them."""
    if path.is_dir():
        for file in sorted(path.rglob("*.json")):
            yield json.loads(file.read_text())
        return
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith(".json"):
                yield json.loads(archive.read(member))


def _in_ranges(version: Version, ranges: Iterable[dict]) -> bool:
    # OSV ECOSYSTEM ranges: sorted events; a version is affected from an "introduced" up to the next
    # "fixed" (excluded) or "last_affected" (included).
    for version_range in ranges:
        if version_range.get("type") != "ECOSYSTEM":
            continue
        affected = False
        for event in version_range.get("events", []):
            try:
                if "introduced" in event:
                    start = event["introduced"]
                    if start == "0" or version >= Version(start):
                        affected = True
                elif "fixed" in event and version >= Version(event["fixed"]):
                    affected = False
                elif "last_affected" in event and version > Version(event["last_affected"]):
                    affected = False
            except InvalidVersion:
                continue
        if affected:
            return True
    return False


def vulnerable(pins: dict[str, str], records: Iterable[dict]) -> list[tuple[str, str, str]]:
    """(package, pinned version, advisory id) for every pin an OSV record says is affected."""
    found = []
    for record in records:
        if record.get("withdrawn"):
            continue
        for affected in record.get("affected", []):
            package = affected.get("package", {})
            if package.get("ecosystem") != "PyPI":
                continue
            name = canonicalize_name(package.get("name", ""))
            if name not in pins:
                continue
            try:
                version = Version(pins[name])
            except InvalidVersion:
                continue
            listed = pins[name] in affected.get("versions", [])
            if listed or _in_ranges(version, affected.get("ranges", [])):
                found.append((name, pins[name], record.get("id", "?")))
    return sorted(set(found))


def _reachable(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status == 200
    except OSError:
        return False


def main() -> int:
    requirements = ROOT / "requirements.txt"
    database = os.environ.get("SANLING_VULN_DB")
    if database:
        pins = pinned(requirements)
        findings = vulnerable(pins, osv_records(Path(database)))
        for name, version, advisory in findings:
            print(f"有已知漏洞：{name}=={version}（{advisory}）")
        print(f"离线漏洞库 {database}：检查 {len(pins)} 个固定版本，发现 {len(findings)} 处。")
        return 1 if findings else 0
    if not _reachable(PROBE_URL):
        print("跳过依赖漏洞检查：漏洞数据库（pypi.org）不可达；可设 SANLING_VULN_DB=OSV 导出文件 离线检查。")
        return SKIPPED
    command = [sys.executable, "-m", "pip_audit", "-r", str(requirements), "--no-deps", "--disable-pip"]
    command += ["--strict", "--progress-spinner", "off"]
    result = subprocess.run(command, cwd=ROOT)
    return {0: 0, 1: 1}.get(result.returncode, 2)


if __name__ == "__main__":
    sys.exit(main())
