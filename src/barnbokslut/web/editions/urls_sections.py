"""URL patterns (urls_sections), included by editions/urls.py under the "editions" namespace.

Writing and reviewing sections (``views_sections``) and the coordinator's board (``views_board``). Every POST
carries the CSRF token; writes that depend on the text also carry ``version`` (the optimistic lock).
"""

from __future__ import annotations

from django.urls import path

from barnbokslut.web.editions import views_board, views_sections

urlpatterns = [
    path("avsnitt/<int:pk>/", views_sections.section_edit, name="section_edit"),
    path("avsnitt/<int:pk>/spara/", views_sections.section_save, name="section_save"),
    path("avsnitt/<int:pk>/skicka/", views_sections.section_submit, name="section_submit"),
    path("avsnitt/<int:pk>/godkann/", views_sections.section_approve, name="section_approve"),
    path("avsnitt/<int:pk>/aterremittera/", views_sections.section_return, name="section_return"),
    path("avsnitt/<int:pk>/forhandsvisning/", views_sections.section_preview, name="section_preview"),
    path("avsnitt/<int:pk>/utkast/", views_sections.section_draft, name="section_draft"),
    path(
        "avsnitt/<int:pk>/utkast/kasta/", views_sections.section_draft_discard, name="section_draft_discard"
    ),
    path("avsnitt/<int:pk>/historik/", views_sections.section_history, name="section_history"),
    path("avsnitt/<int:pk>/historik/<int:number>/", views_sections.section_version, name="section_version"),
    path("avsnitt/<int:pk>/tilldela/", views_board.section_assign, name="section_assign"),
    path("arsgang/<int:edition_pk>/tavla/", views_board.board, name="board"),
    path("arsgang/<int:edition_pk>/tavla/fordela/", views_board.board_assign, name="board_assign"),
]
