from django.urls import path

from sifra.opendata import views

app_name = "opendata"
urlpatterns = [
    path("", views.public, name="public"),
    path("projekt/<int:pk>/", views.public_project_page, name="project"),
    path("publicering/<int:pk>/", views.publication, name="publication"),
    path("publicering/<int:pk>/dra-tillbaka/", views.withdraw, name="withdraw"),
]
