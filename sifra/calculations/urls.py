from django.urls import path

from sifra.calculations import views

app_name = "calculations"
urlpatterns = [path("<uuid:pk>/", views.progress, name="progress")]
