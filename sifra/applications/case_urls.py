from django.urls import path

from sifra.applications import case_views

urlpatterns = [
    path("<int:pk>/case/", case_views.case_page, name="case"),
    path("<int:pk>/case/preview/", case_views.case_preview, name="case_preview"),
    path("<int:pk>/case/export/", case_views.case_export, name="case_export"),
    path("<int:pk>/case/import/", case_views.case_import, name="case_import"),
]
