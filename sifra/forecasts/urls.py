from django.urls import path

from sifra.forecasts import views

app_name = "forecasts"
urlpatterns = [
    path("fund/<int:pk>/", views.fund_forecast, name="fund"),
    path("<uuid:pk>/", views.run_detail, name="run"),
    path("<uuid:pk>/progress/", views.run_progress, name="progress"),
]
