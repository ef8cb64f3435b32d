"""URL configuration: each app brings its own ``urls.py``; login and logout come from Django."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import include, path

from barnbokslut.web.core.context import SITE_NAME

urlpatterns = [
    path(
        "logga-in/",
        # LoginView sets site_name to the host ("127.0.0.1:8000"); the page's title wants ours.
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            redirect_authenticated_user=True,
            extra_context={"site_name": SITE_NAME},
        ),
        name="login",
    ),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("barnbokslut.web.core.urls")),
    path("", include("barnbokslut.web.accounts.urls")),
    path("", include("barnbokslut.web.organisations.urls")),
    path("", include("barnbokslut.web.editions.urls")),
    path("", include("barnbokslut.web.localdata.urls")),
    path("", include("barnbokslut.web.publishing.urls")),
]
