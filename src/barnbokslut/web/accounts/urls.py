"""URLs of the accounts app ("accounts" namespace): users and roles, the audit log, and the own account page."""

from __future__ import annotations

from django.urls import path

from barnbokslut.web.accounts import views, views_account

app_name = "accounts"
member = "organisation/<int:pk>/anvandare/<int:user_pk>/"
urlpatterns = [
    path("organisation/<int:pk>/anvandare/", views.members, name="members"),
    path("organisation/<int:pk>/anvandare/ny/", views.member_create, name="member_create"),
    path(member, views.member_detail, name="member_detail"),
    path(member + "roller/", views.member_roles, name="member_roles"),
    path(member + "uppgifter/", views.member_details, name="member_details"),
    path(member + "losenord/", views.member_password, name="member_password"),
    path(member + "inaktivera/", views.member_deactivate, name="member_deactivate"),
    path(member + "aktivera/", views.member_activate, name="member_activate"),
    path("organisation/<int:pk>/logg/", views_account.audit_log, name="audit_log"),
    path("organisation/<int:pk>/logg.csv", views_account.audit_log_csv, name="audit_log_csv"),
    path("konto/", views_account.account, name="account"),
    path("konto/losenord/", views_account.password_change, name="password_change"),
    path("konto/aviseringar/", views_account.notifications_change, name="notifications"),
]
