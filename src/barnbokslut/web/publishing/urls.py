"""URLs of the publishing app: preview and publish (per edition, signed in), the public files and archive, and
importing last year's barnbokslut into a new edition (per organisation, samordnare and administratör)."""

from __future__ import annotations

from django.urls import path

from barnbokslut.web.publishing import views, views_import

app_name = "publishing"
urlpatterns = [
    path("arsgang/<int:edition_pk>/forhandsgranska/", views.preview, name="preview"),
    path(
        "arsgang/<int:edition_pk>/forhandsgranska/dokument/", views.preview_document, name="preview_document"
    ),
    path("arsgang/<int:edition_pk>/publicera/", views.publish, name="publish"),
    path("arsgang/<int:edition_pk>/publicera/status/", views.publish_status, name="status"),
    path("publicerat/<uuid:public_id>/", views.public_html, name="public_html"),
    path("publicerat/<uuid:public_id>/om/", views.public_about, name="public_about"),
    path("publicerat/<uuid:public_id>/barnbokslut.pdf", views.public_pdf, name="public_pdf"),
    path("publicerat/<uuid:public_id>/barnbokslut.docx", views.public_docx, name="public_docx"),
    path("publicerat/<uuid:public_id>/barnversion/", views.public_child_html, name="public_child_html"),
    path("publicerat/<uuid:public_id>/barnversion.pdf", views.public_child_pdf, name="public_child_pdf"),
    path("arkiv/<slug:org_slug>/", views.archive, name="archive"),
    path("organisation/<int:org_pk>/importera/", views_import.import_start, name="import_start"),
    path(
        "organisation/<int:org_pk>/importera/<int:pk>/", views_import.import_review_page, name="import_review"
    ),
    path(
        "organisation/<int:org_pk>/importera/<int:pk>/avbryt/",
        views_import.import_cancel,
        name="import_cancel",
    ),
]
