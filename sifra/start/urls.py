from django.urls import path

from sifra.start import views

urlpatterns = [
    path("", views.home, name="home"),
]
