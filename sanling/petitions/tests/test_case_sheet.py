"""一案一码 for petitions and 信访代理: "every case has a ref that follows it through every level and every
kind (dispute → petition → event), printed with a QR code on the case sheet so a paper file can be traced
back". The sheet prints the petitioner masked, always — paper leaves the system for good."""

import datetime
import re

import pytest
from django.urls import reverse

from sanling.core.qr import qr_svg
from sanling.disputes.services import dispute_create, dispute_mediate, dispute_to_petition
from sanling.petitions.services import agency_create, petition_accept, petition_create

from .conftest import DAY, ID_NUMBER, NAME, PHONE

pytestmark = pytest.mark.django_db


def sheet(client, name: str, ref: str) -> str:
    response = client.get(reverse(f"petitions:{name}", kwargs={"ref": ref}))
    assert response.status_code == 200
    return response.content.decode()


def qr_figure(content: str) -> str:
    return content.split('id="case-qr"')[1].split("</figure>")[0]


def test_the_petition_sheet_carries_the_petition_page_address_as_a_qr_code(client, petitions):
    client.force_login(petitions["town_a"])
    ref = petitions["petition_a"].ref
    figure = qr_figure(sheet(client, "sheet", ref))
    address = f"http://testserver/petitions/{ref}/"
    assert str(qr_svg(address, size=160, css_class="case-qr")) in figure  # exactly the case page's address


def test_the_agency_sheet_carries_the_agency_page_address_as_a_qr_code(client, petitions):
    client.force_login(petitions["town_a"])
    ref = petitions["agency_a"].ref
    figure = qr_figure(sheet(client, "agency_sheet", ref))
    address = f"http://testserver/petitions/agency/{ref}/"
    assert str(qr_svg(address, size=160, css_class="case-qr")) in figure


def test_the_qr_code_has_no_inline_style_or_script(client, petitions):
    client.force_login(petitions["town_a"])
    svg = re.search(r"<svg.*?</svg>", sheet(client, "sheet", petitions["petition_a"].ref), re.S).group(0)
    assert "style" not in svg and "<script" not in svg and " on" not in svg


def test_the_petition_sheet_prints_the_petitioner_masked(client, petitions):
    client.force_login(petitions["town_a"])  # may unmask on the page, yet the paper never shows it in clear
    content = sheet(client, "sheet", petitions["petition_a"].ref)
    petitioner = content.split('id="petitioner"')[1].split("</div></dd></div>")[0]
    assert NAME not in content and ID_NUMBER not in content and PHONE not in content
    assert NAME[0] in petitioner and "*" in petitioner  # the mask is there, not a blank
    assert PHONE[:3] in petitioner and PHONE[-4:] in petitioner


def test_the_agency_sheet_prints_the_applicant_masked(client, petitions):
    client.force_login(petitions["town_a"])
    content = sheet(client, "agency_sheet", petitions["agency_a"].ref)
    applicant = content.split('id="applicant"')[1].split("</dd>")[0]
    assert NAME not in content
    assert NAME[0] in applicant and "*" in applicant


def test_the_petition_sheet_shows_the_case_its_deadlines_and_its_timeline(client, petitions):
    petition = petition_accept(
        petition=petitions["petition_a"],
        version=None,
        on=DAY + datetime.timedelta(days=2),
        note="当面告知受理",
    )
    client.force_login(petitions["town_a"])
    content = sheet(client, "sheet", petition.ref)
    assert petition.ref in content and "金牛小区物业纠纷" in content
    deadlines = content.split('id="deadlines"')[1].split("</table>")[0]
    assert petition.accept_due_on.isoformat() in deadlines and "2025-03-05" in deadlines
    assert "办理记录" in content and "当面告知受理" in content
    assert (
        "css/case_sheet.css" in content and "data-print" in content
    )  # A4 rules and 打印 need no inline code


def test_the_agency_sheet_shows_the_case_and_its_timeline(client, petitions):
    client.force_login(petitions["town_a"])
    content = sheet(client, "agency_sheet", petitions["agency_a"].ref)
    assert petitions["agency_a"].ref in content and "金牛退役军人安置" in content
    assert "办理记录" in content


def test_the_agency_sheet_shows_the_event_of_the_petition_it_acts_on(client, casework):
    petition = petition_create(
        subject=casework["jinniu_village"],
        received_on=DAY,
        level="county",
        channel="visit",
        summary="安置补偿",
    )
    agency = agency_create(
        subject=casework["jinniu_village"], applied_on=DAY, summary="安置补偿代理", petition=petition
    )
    client.force_login(casework["town_a"])
    content = sheet(client, "agency_sheet", agency.ref)
    assert petition.ref in content.split('id="case-petition-ref"')[1].split("</dd>")[0]
    event = content.split('id="case-event"')[1].split("</section>")[0]
    assert petition.event.ref in event and DAY.isoformat() in event


def test_a_dispute_that_became_a_county_petition_prints_its_earlier_steps_and_its_event(client, casework):
    dispute = dispute_create(subject=casework["jinniu_village"], reported_on=DAY, summary="宅基地边界纠纷")
    dispute = dispute_mediate(dispute=dispute, on=DAY + datetime.timedelta(days=1), note="组长到场调解")
    petition = dispute_to_petition(
        dispute=dispute, on=DAY + datetime.timedelta(days=2), petition_level="county"
    )
    client.force_login(casework["town_a"])
    content = sheet(client, "sheet", petition.ref)
    assert "组长到场调解" in content  # the dispute's mediation, on the same case's timeline
    assert dispute.ref in content.split('id="case-dispute"')[1].split("</div>")[0]
    event = content.split('id="case-event"')[1].split("</section>")[0]
    assert petition.event.ref == petition.ref and "2025-03-05" in event


def test_the_pages_link_their_sheets(client, petitions):
    client.force_login(petitions["town_a"])
    petition_page = client.get(reverse("petitions:detail", kwargs={"ref": petitions["petition_a"].ref}))
    agency_page = client.get(reverse("petitions:agency_detail", kwargs={"ref": petitions["agency_a"].ref}))
    assert (
        reverse("petitions:sheet", kwargs={"ref": petitions["petition_a"].ref})
        in petition_page.content.decode()
    )
    assert "案件单（一案一码）" in petition_page.content.decode()
    assert (
        reverse("petitions:agency_sheet", kwargs={"ref": petitions["agency_a"].ref})
        in agency_page.content.decode()
    )


def test_a_viewer_may_print_the_sheet_of_a_case_in_their_area(client, petitions):
    client.force_login(petitions["viewer"])
    assert petitions["petition_a"].ref in sheet(client, "sheet", petitions["petition_a"].ref)


def test_the_sheets_of_another_towns_cases_do_not_exist(client, petitions):
    client.force_login(petitions["town_b"])
    for name, key in (("sheet", "petition_a"), ("agency_sheet", "agency_a")):
        assert client.get(reverse(f"petitions:{name}", kwargs={"ref": petitions[key].ref})).status_code == 404
