"""URLs of a new organisation and the organisation page: details, logo and the unit tree (names in the
"organisations" namespace)."""

from __future__ import annotations

from django.urls import path

from barnbokslut.web.organisations import views

app_name = "organisations"
urlpatterns = [
    path("organisation/ny/", views.create, name="create"),
    path("organisation/<int:pk>/", views.detail, name="detail"),
    path("organisation/<int:pk>/uppgifter/", views.update, name="update"),
    path("organisation/<int:pk>/logotyp/", views.logo, name="logo"),
    path("organisation/<int:pk>/enheter/ny/", views.unit_create, name="unit_create"),
    path("organisation/<int:pk>/enheter/<int:unit_pk>/", views.unit_edit, name="unit_edit"),
    path("organisation/<int:pk>/enheter/<int:unit_pk>/ta-bort/", views.unit_delete, name="unit_delete"),
]
