from django.urls import path

from sifra.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.user_list, name="users"),
    path("new/", views.user_create, name="user_create"),
    path("<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("units/", views.unit_list, name="units"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("partners/", views.partner_list, name="partners"),
    path("partners/new/", views.partner_create, name="partner_create"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("organisation/", views.organisation_edit, name="organisation"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/second-factor/", views.second_factor_setup, name="second_factor"),
    path(
        "account/second-factor/verify/",
        views.second_factor_verify,
        name="second_factor_verify",
    ),
    path(
        "<int:pk>/second-factor/reset/",
        views.user_second_factor_reset,
        name="user_second_factor_reset",
    ),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/new/", views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
