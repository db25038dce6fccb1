"""The 播报 of the demo county for the last full year, read back from the Word and PDF files and compared
with the engine: 166/183 90.71%, 6861/7022 97.71%, the towns in the order of ``sanling rates --by child``."""

import io
import json
import re

import pypdf
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from sanling.assessment.periods import Period
from sanling.demo.services import demo_load
from sanling.regions.models import Region
from sanling.reports.models import Distribution, Report
from sanling.reports.services import report_file_bytes

from .conftest import docx_tables, docx_text, pdf_text

COUNTY = "411103000000"
YEAR = timezone.localdate().year - 1


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        REPORTS_DIR=tmp_path_factory.mktemp("demo-reports"),
    )
    with django_db_blocker.unblock(), transaction.atomic(), fast:
        demo_load(folder=tmp_path_factory.mktemp("demo"), year=YEAR)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def county(demo, db):
    return Region.objects.get(code=COUNTY)


@pytest.fixture
def bulletin_files(county):
    period = Period.of_year(YEAR)
    return {
        fmt: report_file_bytes(kind="bulletin", region=county, period=period, fmt=fmt)
        for fmt in ("docx", "pdf")
    }


def engine_town_order() -> list[str]:
    """The towns as ``sanling rates --region … --by child`` lists them."""
    out = io.StringIO()
    call_command("rates", region=COUNTY, period=str(YEAR), by="child", format="json", stdout=out)
    return list(dict.fromkeys(row["region_name"] for row in json.loads(out.getvalue())))


def test_the_word_bulletin_shows_the_seeds_rates(bulletin_files):
    text = docx_text(bulletin_files["docx"])
    assert "村（社区）166/183，达标率90.71%" in text
    assert "企事业单位6861/7022，达标率97.71%" in text


def test_the_word_bulletin_lists_the_towns_in_the_order_of_sanling_rates(bulletin_files):
    towns_table = docx_tables(bulletin_files["docx"])[0]
    assert towns_table[0][1] == "乡镇（街道）"
    assert [row[1] for row in towns_table[1:]] == engine_town_order()


def test_each_towns_figures_are_the_engines(bulletin_files):
    out = io.StringIO()
    call_command("rates", region=COUNTY, period=str(YEAR), by="child", format="json", stdout=out)
    engine = {(row["region_name"], row["group"]): row for row in json.loads(out.getvalue())}
    for row in docx_tables(bulletin_files["docx"])[0][1:]:
        village, unit = engine[(row[1], "village")], engine[(row[1], "unit")]
        assert row[2] == f"{village['compliant']}/{village['active']}"
        assert row[3] == f"{village['rate']:.2f}%"
        assert row[4] == f"{unit['compliant']}/{unit['active']}"
        assert row[5] == f"{unit['rate']:.2f}%"


def test_the_pdf_bulletin_shows_the_same_rates_and_towns(bulletin_files):
    text = pdf_text(bulletin_files["pdf"])
    flat = re.sub(r"\s+", "", text)
    for figure in ("166/183", "90.71%", "6861/7022", "97.71%"):
        assert figure in flat
    positions = [flat.index(name) for name in engine_town_order()]
    assert positions == sorted(positions)


def test_the_pdf_embeds_its_chinese_font(bulletin_files):
    reader = pypdf.PdfReader(io.BytesIO(bulletin_files["pdf"]))
    assert "三零" in reader.pages[0].extract_text()
    assert re.search(r"[\u4e00-\u9fff]{4}", reader.pages[0].extract_text())
    fonts = reader.pages[0]["/Resources"]["/Font"]
    embedded = []
    for font in fonts.values():
        font = font.get_object()
        for descendant in font.get("/DescendantFonts", []):
            descriptor = descendant.get_object()["/FontDescriptor"].get_object()
            embedded.append("/FontFile2" in descriptor)
    assert embedded and all(embedded)


def test_the_command_writes_the_same_document(bulletin_files, tmp_path):
    out = tmp_path / "播报.docx"
    call_command(
        "report",
        "bulletin",
        region=COUNTY,
        period=str(YEAR),
        format="docx",
        out=str(out),
        stdout=io.StringIO(),
    )
    assert docx_text(out.read_bytes()) == docx_text(bulletin_files["docx"])


def test_the_demo_bulletin_is_ready_in_both_formats_sent_and_read_once(county):
    reports = Report.objects.filter(region=county, kind="bulletin", period=str(YEAR))
    assert {(report.format, report.status) for report in reports} == {("docx", "ready"), ("pdf", "ready")}
    sent = Distribution.objects.filter(report__in=reports)
    assert {row.audience for row in sent} == {"leaders", "departments", "towns"}
    assert [row.recipient.username for row in sent if row.read_at] == ["leader"]


def test_the_demo_also_has_the_current_years_bulletin_so_far(county):
    from django.utils import timezone

    this_year = Report.objects.get(region=county, kind="bulletin", period=str(timezone.localdate().year))
    assert (this_year.format, this_year.status) == ("pdf", "ready")


def test_a_monthly_summary_goes_town_by_town(county):
    text = docx_text(
        report_file_bytes(kind="monthly", region=county, period=Period.month(YEAR, 3), fmt="docx")
    )
    assert "月度小结" in text
    for number, name in enumerate(engine_town_order()[:3], start=1):
        assert f"（{'一二三'[number - 1]}）{name}" in text
    assert "较上期" in text


def test_the_bulletin_page_shows_the_headline_figures_and_towns(client, county):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="leader"))
    page = client.get("/reports/bulletin/", {"region": COUNTY, "period": str(YEAR)}).content.decode()
    assert "166/183" in page and "90.71%" in page and "6861/7022" in page and "97.71%" in page
    positions = [page.index(name) for name in engine_town_order()]
    assert positions == sorted(positions)
