"""The printable case sheets (一案一码) of petitions and 信访代理 cases, as the dispute's: the case, its
deadlines, the petition event, the timeline and a QR code of the case page's address, so a paper file leads
back to the case (opened only by someone whose scope covers it).

Paper leaves the system for good, so the petitioner (or applicant) is printed masked, always: whoever needs
the identity in clear reads it on the case page with a reason, which the audit trail keeps.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from sanling.core.qr import qr_svg
from sanling.personal.fields import masked
from sanling.work.selectors import timeline_of

from .selectors import is_overdue
from .views import PETITIONER, _agency, _petition


def _qr_of(request: HttpRequest, page: str) -> dict:
    address = request.build_absolute_uri(page)
    return {"address": address, "qr": qr_svg(address, size=160, css_class="case-qr")}


@login_required
@never_cache
def petition_sheet(request: HttpRequest, ref: str) -> HttpResponse:
    """A petition's sheet. A dispute that became a petition keeps its case, so the timeline printed here
    starts with the dispute's registration and mediation under the same ref."""
    petition = _petition(request, ref)
    page = reverse("petitions:detail", kwargs={"ref": petition.ref})
    return render(
        request,
        "petitions/petition_sheet.html",
        {
            "petition": petition,
            "case": petition.case,
            "entries": timeline_of(petition.case),
            "person": {name: masked(petition, name) for name in PETITIONER},
            "overdue": is_overdue(petition.case, timezone.localdate()),
            **_qr_of(request, page),
        },
    )


@login_required
@never_cache
def agency_sheet(request: HttpRequest, ref: str) -> HttpResponse:
    """A 信访代理 case's sheet, with the petition it acts on and that petition's event."""
    agency = _agency(request, ref)
    page = reverse("petitions:agency_detail", kwargs={"ref": agency.ref})
    return render(
        request,
        "petitions/agency_sheet.html",
        {
            "agency": agency,
            "case": agency.case,
            "entries": timeline_of(agency.case),
            "applicant": masked(agency, "applicant_name"),
            "overdue": is_overdue(agency.case),
            **_qr_of(request, page),
        },
    )
