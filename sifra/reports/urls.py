from django.urls import path

from sifra.reports import views

app_name = "reports"
urlpatterns = [
    path("funds/<int:fund_id>/annual/", views.annual_index, name="annual_index"),
    path("funds/<int:fund_id>/annual/<int:year>/", views.annual, name="annual"),
    path(
        "funds/<int:fund_id>/annual/<int:year>.pdf",
        views.annual_file,
        {"extension": "pdf"},
        name="annual_pdf",
    ),
    path(
        "funds/<int:fund_id>/annual/<int:year>.xlsx",
        views.annual_file,
        {"extension": "xlsx"},
        name="annual_xlsx",
    ),
]
