"""The home page and a health check for load balancers."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from barnbokslut.web.accounts.models import Membership, roles_label
from barnbokslut.web.editions.worklists import WorkLists, work_lists
from barnbokslut.web.organisations.models import Organisation


@dataclass(frozen=True)
class Belonging:
    """One organisation on the home page and all the user's roles in it ("Skribent (BOU), Granskare (SVF)")."""

    organisation: Organisation
    roles: str
    several: bool
    work: WorkLists


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The organisations the user belongs to, with all their roles, their work lists and the editions."""
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .prefetch_related("organisation__editions", "units")
        .order_by("organisation__name", "organisation_id")
    )
    today = timezone.localdate()
    belongings = [
        Belonging(
            group[0].organisation,
            roles_label(group),
            len(group) > 1,
            work_lists(request.user, group[0].organisation, today),
        )
        for _pk, grouped in groupby(memberships, key=lambda m: m.organisation_id)
        if (group := list(grouped))
    ]
    return render(request, "core/home.html", {"belongings": belongings})


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
