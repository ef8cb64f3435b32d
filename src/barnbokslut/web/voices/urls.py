"""URLs of children's voices: the edition's page, and adding, changing and removing a quote or a proposal."""

from __future__ import annotations

from django.urls import path

from barnbokslut.web.voices import views

app_name = "voices"
_BASE = "arsgang/<int:pk>/barnens-roster/"
urlpatterns = [
    path(_BASE, views.voices_page, name="page"),
    path(f"{_BASE}enkat/", views.survey_upload, name="survey_upload"),
    path(f"{_BASE}enkat/<int:survey_pk>/ta-bort/", views.survey_delete, name="survey_delete"),
    path(f"{_BASE}<str:kind>/ny/", views.voice_form, name="add"),
    path(f"{_BASE}<str:kind>/<int:item_pk>/", views.voice_form, name="edit"),
    path(f"{_BASE}<str:kind>/<int:item_pk>/ta-bort/", views.voice_delete, name="delete"),
]
