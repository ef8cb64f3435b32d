"""URLs of the localdata app: an edition's local tables (list, preview, import, one table, delete)."""

from __future__ import annotations

from django.urls import path

from barnbokslut.web.localdata import views

app_name = "localdata"
urlpatterns = [
    path("arsgang/<int:edition_pk>/lokala-data/", views.table_list, name="list"),
    path("arsgang/<int:edition_pk>/lokala-data/forhandsgranska/", views.preview, name="preview"),
    path("arsgang/<int:edition_pk>/lokala-data/importera/", views.import_table, name="import"),
    path("arsgang/<int:edition_pk>/lokala-data/<int:table_pk>/", views.table_detail, name="detail"),
    path("arsgang/<int:edition_pk>/lokala-data/<int:table_pk>/ta-bort/", views.delete_table, name="delete"),
]
