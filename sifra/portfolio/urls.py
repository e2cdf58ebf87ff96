from django.urls import path

from sifra.portfolio import views

app_name = "portfolio"
urlpatterns = [
    path("<int:pk>/", views.portfolio, name="portfolio"),
    path("<int:pk>/portfolio.xlsx", views.portfolio_export, name="export"),
    path("<int:pk>/refresh/", views.portfolio_refresh, name="refresh"),
    path("<int:pk>/payer-saver/", views.matrix, name="matrix"),
]
