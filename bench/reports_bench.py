"""Generating a county's 三零播报 (issue 16): the demo county (郾城区-like: 11 towns, 183 村社区, 7,022 企事业,
a year of events, its map), its bulletin for the last full year built from the engine and written as Word
and as PDF, against a reference in the same run: the engine's read of the same county and period that
``sanling rates --region … --by child`` makes (the county's own row and its towns'). The ratio is the
figure to watch; the times depend on the machine.

    .venv/bin/python bench/reports_bench.py                     # SQLite scratch database
    .venv/bin/python bench/reports_bench.py --db postgres       # BENCH_DATABASE_URL or the default
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from common import machine, median, setup_django


def sample(function, count: int) -> list[float]:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--samples", type=int, default=5, help="bulletins of each format")
    parser.add_argument("--reference-samples", type=int, default=50)
    args = parser.parse_args()
    os.environ.setdefault("SANLING_VAR_DIR", tempfile.mkdtemp(prefix="sanling-bench-var-"))
    setup_django(args.db)

    from django.utils import timezone

    from sanling.assessment.periods import Period
    from sanling.assessment.selectors import region_rates
    from sanling.demo.services import demo_load
    from sanling.documents import render
    from sanling.regions.models import Region
    from sanling.reports.content import report_content
    from sanling.subjects.models import Subject

    year = timezone.localdate().year - 1
    start = time.perf_counter()
    demo_load(folder=Path(tempfile.mkdtemp(prefix="sanling-bench-demo-")), year=year)
    print(f"demo county loaded in {time.perf_counter() - start:.0f} s", flush=True)
    county = Region.objects.get(code="411103000000")
    period = Period.of_year(year)
    towns = Region.objects.filter(parent=county).count()
    subjects = Subject.objects.count()

    def reference():
        region_rates(region=county, period=period)
        region_rates(region=county, period=period, by="child")

    def build():
        return report_content(kind="bulletin", region=county, period=period).document()

    reference()
    build()  # warm: the year's rollups are open, fonts and templates loaded
    reference_times = sample(reference, args.reference_samples)
    content_times = sample(build, args.samples)
    document = build()
    docx_times = sample(lambda: render(build(), "docx"), args.samples)
    pdf_times = sample(lambda: render(build(), "pdf"), args.samples)
    sizes = {fmt: len(render(document, fmt)) for fmt in ("docx", "pdf")}
    ref = median(reference_times)
    print(f"machine: {machine()}; database: {args.db}; Python {sys.version.split()[0]}")
    print(f"scale: the demo county, {towns} towns, {subjects} subjects, period {period.key}")
    print(f"reference (engine rates of the county and its towns): median {ref * 1000:.1f} ms")
    for name, times in (
        ("bulletin content (figures + charts)", content_times),
        ("bulletin as Word", docx_times),
        ("bulletin as PDF", pdf_times),
    ):
        value = median(times)
        print(f"{name}: median {value * 1000:.0f} ms = {value / ref:.0f}× the reference")
    print(f"file sizes: Word {sizes['docx'] / 1024:.0f} KiB, PDF {sizes['pdf'] / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
