"""一案一码: the printed case sheet carries the ref as a QR code of the case page's address, so a paper file
leads back to the case; the code is an inline SVG the strict Content-Security-Policy accepts."""

import datetime
import re

import pytest
from django.urls import reverse

from sanling.core.qr import qr_svg
from sanling.disputes.services import dispute_create, dispute_mediate

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispute(casework):
    dispute = dispute_create(
        subject=casework["jinniu_village"], reported_on=datetime.date(2025, 3, 3), summary="宅基地边界纠纷"
    )
    return dispute_mediate(dispute=dispute, on=datetime.date(2025, 3, 4), note="组长到场调解")


def sheet(client, dispute) -> str:
    response = client.get(reverse("disputes:sheet", kwargs={"ref": dispute.ref}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_sheet_carries_the_case_page_address_as_an_svg_qr_code(client, casework, dispute):
    client.force_login(casework["town_a"])
    content = sheet(client, dispute)
    figure = content.split('id="case-qr"')[1].split("</figure>")[0]
    assert "<svg" in figure and "<path" in figure
    address = f"http://testserver/disputes/{dispute.ref}/"
    assert str(qr_svg(address, size=160, css_class="case-qr")) in figure  # exactly the page's address


def test_the_qr_code_has_no_inline_style_or_script(client, casework, dispute):
    client.force_login(casework["town_a"])
    svg = re.search(r"<svg.*?</svg>", sheet(client, dispute), re.S).group(0)
    assert "style" not in svg and "<script" not in svg and " on" not in svg


def test_the_sheet_shows_the_ref_the_case_and_its_timeline(client, casework, dispute):
    client.force_login(casework["town_a"])
    content = sheet(client, dispute)
    assert dispute.ref in content and "宅基地边界纠纷" in content
    assert "办理记录" in content and "组长到场调解" in content
    assert "css/case_sheet.css" in content  # the A4 print rules live in a static file


def test_a_viewer_may_print_the_sheet_of_a_case_in_their_area(client, casework, dispute):
    client.force_login(casework["viewer"])
    assert dispute.ref in sheet(client, dispute)


def test_the_sheet_of_another_towns_case_does_not_exist(client, casework, dispute):
    client.force_login(casework["town_b"])
    assert client.get(reverse("disputes:sheet", kwargs={"ref": dispute.ref})).status_code == 404
