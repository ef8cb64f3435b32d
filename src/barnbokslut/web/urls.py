"""URL configuration: each app brings its own ``urls.py``; login and logout are Django's (``accounts.oidc`` adds
the sign-in with the municipality's account beside them)."""

from __future__ import annotations

from django.urls import include, path

from barnbokslut.web.accounts import oidc
from barnbokslut.web.core.context import SITE_NAME

urlpatterns = [
    path(
        "logga-in/",
        # LoginView sets site_name to the host ("127.0.0.1:8000"); the page's title wants ours.
        oidc.SignInView.as_view(extra_context={"site_name": SITE_NAME}),
        name="login",
    ),
    # 404 unless BARNBOKSLUT_OIDC_CLIENT_ID is set: on to the provider, and back from it.
    path("logga-in/kommunens-konto/", oidc.login_start, name="oidc_login"),
    path("logga-in/kommunens-konto/tillbaka/", oidc.callback, name="oidc_callback"),
    path("logga-ut/", oidc.SignOutView.as_view(), name="logout"),
    path("", include("barnbokslut.web.core.urls")),
    path("", include("barnbokslut.web.accounts.urls")),
    path("", include("barnbokslut.web.organisations.urls")),
    path("", include("barnbokslut.web.editions.urls")),
    path("", include("barnbokslut.web.localdata.urls")),
    path("", include("barnbokslut.web.bka.urls")),
    path("", include("barnbokslut.web.publishing.urls")),
    path("", include("barnbokslut.web.voices.urls")),
]
