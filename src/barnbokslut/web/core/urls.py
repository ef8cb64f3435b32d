"""Core URLs: the home page (the user's organisations and editions) and the health check."""

from __future__ import annotations

from django.urls import path

from barnbokslut.web.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("halsa/", views.health, name="health"),
]
