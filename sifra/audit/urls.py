from django.urls import path

from sifra.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("events.csv", views.event_export, name="export"),
]
