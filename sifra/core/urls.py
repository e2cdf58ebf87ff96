from django.urls import path

from sifra.core import views

urlpatterns = [
    path("", views.home, name="home"),
]
