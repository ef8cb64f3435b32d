"""URL patterns of the edition pages (dashboard, new edition, tables, indicators), included by editions/urls.py
under the "editions" namespace."""

from __future__ import annotations

from django.urls import URLPattern, path

from barnbokslut.web.editions import (
    views_child_version,
    views_edition,
    views_indicators,
    views_standard_texts,
    views_structure,
    views_tables,
)


def _table(prefix: str, table: str) -> list[URLPattern]:
    """The six URLs of one table: page, add, row, edit, delete (confirm + POST), move."""
    kwargs = {"table": table}
    base = f"arsgang/<int:pk>/{prefix}/"
    row = f"{base}<int:row_pk>/"
    return [
        path(base, views_tables.table_page, kwargs, name=table),
        path(f"{base}ny/", views_tables.row_add, kwargs, name=f"{table}_add"),
        path(row, views_tables.row_show, kwargs, name=f"{table}_row"),
        path(f"{row}redigera/", views_tables.row_edit, kwargs, name=f"{table}_edit"),
        path(f"{row}ta-bort/", views_tables.row_delete, kwargs, name=f"{table}_delete"),
        path(f"{row}flytta/", views_tables.row_move, kwargs, name=f"{table}_move"),
    ]


urlpatterns: list[URLPattern] = [
    path("arsgang/<int:pk>/", views_edition.detail, name="detail"),
    path("organisation/<int:org_pk>/ny-arsgang/", views_edition.new_edition, name="new"),
    path("arsgang/<int:pk>/standardtexter/", views_standard_texts.standard_texts, name="standard_texts"),
    path("arsgang/<int:pk>/barnversion/", views_child_version.child_version_page, name="child_version"),
    path(
        "arsgang/<int:pk>/barnversion/lix/", views_child_version.child_version_lix, name="child_version_lix"
    ),
    path(
        "arsgang/<int:pk>/barnversion/visa/",
        views_child_version.child_version_preview,
        name="child_version_preview",
    ),
    path("arsgang/<int:pk>/struktur/", views_structure.structure_page, name="structure"),
    *_table("uppfoljning", "follow_up"),
    path(
        "arsgang/<int:pk>/uppfoljning/<int:row_pk>/atgarder/",
        views_tables.follow_up_actions,
        name="follow_up_actions",
    ),
    *_table("utvecklingsomraden", "development"),
    path("arsgang/<int:pk>/nyckeltal/", views_indicators.indicators, name="indicators"),
    path(
        "arsgang/<int:pk>/nyckeltal/urval/", views_indicators.indicator_selection, name="indicator_selection"
    ),
    path("arsgang/<int:pk>/nyckeltal/uppdatera/", views_indicators.kolada_refresh, name="kolada_refresh"),
    path(
        "arsgang/<int:pk>/nyckeltal/uppdatering/<int:refresh_pk>/",
        views_indicators.kolada_refresh_status,
        name="kolada_refresh_status",
    ),
    path(
        "arsgang/<int:pk>/nyckeltal/<str:kpi>/kommentar/",
        views_indicators.indicator_comment,
        name="indicator_comment",
    ),
    path(
        "arsgang/<int:pk>/nyckeltal/<str:kpi>/diagram.svg",
        views_indicators.indicator_chart,
        name="indicator_chart",
    ),
]
