"""URLs of the editions app: the edition pages (``urls_edition``) and the writing pages (``urls_sections``)."""

from __future__ import annotations

from barnbokslut.web.editions import urls_edition, urls_sections

app_name = "editions"
urlpatterns = [*urls_edition.urlpatterns, *urls_sections.urlpatterns]
