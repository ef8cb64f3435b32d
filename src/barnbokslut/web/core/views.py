"""The home page and a health check for load balancers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from barnbokslut.web.accounts.models import Membership


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The organisations the user belongs to, with their role and editions."""
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .prefetch_related("organisation__editions")
        .order_by("organisation__name")
    )
    return render(request, "core/home.html", {"memberships": memberships})


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
