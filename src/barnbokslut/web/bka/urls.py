"""URLs of the register of barnkonsekvensanalyser: the organisation's list, one decision, add, edit, delete, and
the import of a diarium export (preview, then confirm)."""

from __future__ import annotations

from django.urls import path

from barnbokslut.web.bka import views

app_name = "bka"
_BASE = "organisation/<int:pk>/barnkonsekvensanalyser/"
urlpatterns = [
    path(_BASE, views.decision_list, name="list"),
    path(f"{_BASE}ny/", views.decision_add, name="add"),
    path(f"{_BASE}importera/", views.import_preview, name="import"),
    path(f"{_BASE}importera/bekrafta/", views.import_confirm, name="import_confirm"),
    path(f"{_BASE}<int:decision_pk>/", views.decision_detail, name="detail"),
    path(f"{_BASE}<int:decision_pk>/redigera/", views.decision_edit, name="edit"),
    path(f"{_BASE}<int:decision_pk>/ta-bort/", views.decision_delete, name="delete"),
]
