"""Pages of supervision."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def index(request: HttpRequest) -> HttpResponse:
    # Placeholder until the app's pages land (issue 16).
    return render(request, "supervision/index.html", {})
