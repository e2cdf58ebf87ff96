from django.urls import path

from sifra.accounting import views

app_name = "accounting"
urlpatterns = [
    path("<int:pk>/accounting/", views.mapping, name="mapping"),
    path("<int:pk>/sie/<int:year>.se", views.sie_download, name="sie"),
]
