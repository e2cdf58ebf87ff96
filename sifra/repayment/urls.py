from django.urls import path

from sifra.repayment import views

app_name = "repayment"
urlpatterns = [
    path("", views.claims, name="claims"),
    path("claims.csv", views.claims_export, name="claims_export"),
    path("projects/<int:pk>/", views.project_repayment, name="project"),
    path("projects/<int:pk>/agreement/", views.agreement_set, name="agreement"),
    path("projects/<int:pk>/savings/", views.saving_verify, name="saving"),
    path("savings/<int:saving_pk>/reverse/", views.saving_reverse, name="saving_reverse"),
    path("claims/<int:claim_pk>/pay/", views.claim_pay, name="pay"),
    path("units/<int:unit_pk>/", views.unit_debt, name="unit"),
]
